using System.Globalization;
using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// Routes an authenticated request to discovery, namespaces or ServiceAccounts and runs the apiserver's checks
/// in its order: authorization, content type, options, body, object identity, existence and namespace
/// lifecycle, merge and conflicts, validation, storage.
/// </summary>
internal sealed class KubernetesApi(KubernetesState state, AccessPolicy policy)
{
    private const string ApplyPatch = "application/apply-patch+yaml";
    private const string MergePatch = "application/merge-patch+json";
    private const string StrategicMergePatch = "application/strategic-merge-patch+json";

    public KubernetesResponse Handle(KubernetesRequest request)
    {
        var segments = request.Path.Trim('/').Split('/');
        if (segments.Any(s => s.Length == 0))
        {
            throw KubernetesStatus.PathNotFound();
        }

        return segments switch
        {
            ["version"] => Discovery(request, KubernetesDiscovery.Version()),
            ["api"] => Discovery(request, KubernetesDiscovery.ApiVersions(request.Host)),
            ["apis"] => Discovery(request, KubernetesDiscovery.ApiGroups()),
            ["api", "v1"] => Discovery(request, KubernetesDiscovery.CoreV1Resources()),
            ["api", "v1", "namespaces"] => Collection(request, ResourceType.Namespaces, null),
            ["api", "v1", "namespaces", var name] => Item(request, ResourceType.Namespaces, null, name),
            ["api", "v1", "namespaces", var ns, "serviceaccounts"] =>
                Collection(request, ResourceType.ServiceAccounts, ns),
            ["api", "v1", "namespaces", var ns, "serviceaccounts", var name] =>
                Item(request, ResourceType.ServiceAccounts, ns, name),
            ["api", "v1", "namespaces", var ns, "serviceaccounts", var name, "token"] =>
                TokenRequest(request, ns, name),
            ["api", "v1", "namespaces", var ns, "pods"] => request.Method == "POST"
                ? CreatePod(request, ns)
                : WorkloadList(request, "v1", "Pod", "pods", ns),
            ["apis", "apps", "v1", "namespaces", var ns, "deployments"] =>
                WorkloadList(request, "apps/v1", "Deployment", "deployments", ns),
            ["apis", "apps", "v1", "namespaces", var ns, "statefulsets"] =>
                WorkloadList(request, "apps/v1", "StatefulSet", "statefulsets", ns),
            ["apis", "apps", "v1", "namespaces", var ns, "daemonsets"] =>
                WorkloadList(request, "apps/v1", "DaemonSet", "daemonsets", ns),
            ["apis", "batch", "v1", "namespaces", var ns, "jobs"] =>
                WorkloadList(request, "batch/v1", "Job", "jobs", ns),
            ["apis", "batch", "v1", "namespaces", var ns, "cronjobs"] =>
                WorkloadList(request, "batch/v1", "CronJob", "cronjobs", ns),
            [".well-known", "openid-configuration"] or ["openid", "v1", "jwks"] => IssuerDocument(request),
            ["apis", KubernetesDiscovery.AdmissionGroup, "v1"] =>
                Discovery(request, KubernetesDiscovery.AdmissionV1Resources()),
            ["apis", KubernetesDiscovery.AdmissionGroup, "v1", "mutatingwebhookconfigurations", var name] =>
                WebhookConfiguration(request, name),
            _ => throw KubernetesStatus.PathNotFound(),
        };
    }

    /// <summary>
    /// The TokenRequest API: a short-lived ServiceAccount token signed by the cluster's issuer key, with the real
    /// iss, sub (system:serviceaccount:ns:name) and the requested audiences.
    /// </summary>
    private KubernetesResponse TokenRequest(KubernetesRequest request, string namespaceName, string name)
    {
        if (request.Method != "POST")
        {
            throw KubernetesStatus.MethodNotAllowed();
        }

        if (policy.IsForbidden(request.User, "create", "", "serviceaccounts/token", namespaceName))
        {
            throw KubernetesStatus.RbacForbidden(request.User, "create", "serviceaccounts/token", namespaceName, name);
        }

        var account = state.FindServiceAccount(namespaceName, name)
            ?? throw KubernetesStatus.NotFound(ResourceType.ServiceAccounts.Resource, name);
        var issuer = state.ServiceAccountIssuer ?? throw KubernetesStatus.PathNotFound();
        var body = ObjectBody.ParseJsonBody(request);
        var spec = body["spec"] as JsonObject;
        var audiences = spec?["audiences"] is JsonArray list && list.Count > 0
            ? [.. list.Select(a => (string)a!)]
            : new[] { issuer.Issuer };
        var lifetime = spec?["expirationSeconds"] is JsonValue v && v.TryGetValue<long>(out var seconds)
            ? Math.Max(600, seconds)
            : 3600;
        var now = DateTimeOffset.UtcNow;
        var token = issuer.Signer.Sign(new JsonObject
        {
            ["iss"] = issuer.Issuer,
            ["sub"] = $"system:serviceaccount:{namespaceName}:{name}",
            ["aud"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddSeconds(lifetime).ToUnixTimeSeconds(),
            ["kubernetes.io"] = new JsonObject
            {
                ["namespace"] = namespaceName,
                ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = account.Uid },
            },
        });
        state.RecordIssuedToken(token);
        return new KubernetesResponse(201, new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = namespaceName },
            ["spec"] = new JsonObject
            {
                ["audiences"] = new JsonArray([.. audiences.Select(a => JsonValue.Create(a))]),
                ["expirationSeconds"] = lifetime,
            },
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = now.AddSeconds(lifetime).ToString("yyyy-MM-ddTHH:mm:ssZ",
                    CultureInfo.InvariantCulture),
            },
        }, []);
    }

    /// <summary>
    /// The API server's own copy of the issuer documents. Real clusters let only ServiceAccounts read them
    /// (system:service-account-issuer-discovery); here any authenticated user may.
    /// </summary>
    private KubernetesResponse IssuerDocument(KubernetesRequest request)
    {
        if (request.Method != "GET")
        {
            throw KubernetesStatus.MethodNotAllowed();
        }

        return KubernetesResponse.Ok(IssuerDiscovery.Document(state, request.Path.TrimStart('/'))
            ?? throw KubernetesStatus.PathNotFound());
    }

    /// <summary>
    /// A pod create, through the admission chain a pod meets: RBAC, NamespaceLifecycle, the ServiceAccount
    /// admission plugin (the ServiceAccount must exist), and the workload identity webhook when its configuration is
    /// installed. Only dry runs (dryRun=All) are emulated: the answer shows the mutated pod and nothing is stored.
    /// </summary>
    private KubernetesResponse CreatePod(KubernetesRequest request, string namespaceName)
    {
        if (policy.IsForbidden(request.User, "create", "", "pods", namespaceName))
        {
            throw KubernetesStatus.RbacForbidden(request.User, "create", "pods", namespaceName, null);
        }

        var options = RequestOptions.Parse(request, "CreateOptions", isPatch: false, isApply: false);
        if (!options.DryRun)
        {
            // Known shortcoming: pods are not scheduled or stored here; a real create would need a kubelet.
            throw KubernetesStatus.MethodNotAllowed();
        }

        var pod = ObjectBody.ParseJsonBody(request);
        var metadata = pod["metadata"] as JsonObject ?? [];
        pod["metadata"] = metadata;
        var name = metadata["name"] is JsonValue n && n.TryGetValue<string>(out var nv) && nv.Length > 0
            ? nv
            : (metadata["generateName"] is JsonValue g && g.TryGetValue<string>(out var prefix) ? prefix : "")
              + Guid.NewGuid().ToString("N")[..5];
        lock (state.Gate)
        {
            var ns = state.FindNamespace(namespaceName)
                ?? throw KubernetesStatus.NotFound(ResourceType.Namespaces.Resource, namespaceName);
            if (ns.IsTerminating)
            {
                throw KubernetesStatus.NamespaceTerminating("pods", name, namespaceName);
            }

            var accountName = pod["spec"]?["serviceAccountName"] is JsonValue a && a.TryGetValue<string>(out var an)
                && an.Length > 0 ? an : "default";
            var account = state.FindServiceAccount(namespaceName, accountName)
                ?? throw KubernetesStatus.Forbidden("pods", name, $"error looking up service account "
                    + $"{namespaceName}/{accountName}: serviceaccount {GoText.Quote(accountName)} not found", null);
            if (state.WorkloadIdentityWebhookTenant() is { } tenant && WorkloadIdentityWebhook.Selects(pod))
            {
                WorkloadIdentityWebhook.Mutate(pod, account.Annotations, tenant.Length == 0 ? null : tenant);
            }

            metadata["name"] = name;
            metadata["namespace"] = namespaceName;
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = GoText.Time(KubernetesState.Now());
            pod["apiVersion"] = "v1";
            pod["kind"] = "Pod";
            pod["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
            return new KubernetesResponse(201, pod, []);
        }
    }

    /// <summary>Read-only lists of seeded workloads, for the product's pod-label hints.</summary>
    private KubernetesResponse WorkloadList(
        KubernetesRequest request, string apiVersion, string kind, string resource, string namespaceName)
    {
        if (request.Method != "GET")
        {
            throw KubernetesStatus.MethodNotAllowed();
        }

        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion.Split('/')[0] : "";
        if (policy.IsForbidden(request.User, "list", group, resource, namespaceName))
        {
            throw KubernetesStatus.RbacForbidden(request.User, "list", resource, namespaceName, null, group);
        }

        return KubernetesResponse.Ok(new JsonObject
        {
            ["kind"] = kind + "List",
            ["apiVersion"] = apiVersion,
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = state.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture),
            },
            ["items"] = new JsonArray([.. state.Workloads(resource, namespaceName)]),
        });
    }

    /// <summary>Read-only: the product only checks whether the workload identity webhook is installed.</summary>
    private KubernetesResponse WebhookConfiguration(KubernetesRequest request, string name)
    {
        const string resource = "mutatingwebhookconfigurations";
        if (request.Method != "GET")
        {
            throw KubernetesStatus.MethodNotAllowed();
        }

        if (policy.IsForbidden(request.User, "get", KubernetesDiscovery.AdmissionGroup, resource, ""))
        {
            throw KubernetesStatus.RbacForbidden(
                request.User, "get", resource, null, name, KubernetesDiscovery.AdmissionGroup);
        }

        return KubernetesResponse.Ok(state.FindMutatingWebhookConfiguration(name)
            ?? throw KubernetesStatus.NotFound($"{resource}.{KubernetesDiscovery.AdmissionGroup}", name));
    }

    private static KubernetesResponse Discovery(KubernetesRequest request, JsonObject document) =>
        request.Method == "GET" ? KubernetesResponse.Ok(document) : throw KubernetesStatus.MethodNotAllowed();

    private KubernetesResponse Collection(KubernetesRequest request, ResourceType type, string? namespaceName)
    {
        switch (request.Method)
        {
            case "GET":
                Authorize(request, "list", type, namespaceName, name: null);
                lock (state.Gate)
                {
                    var items = type == ResourceType.Namespaces
                        ? state.Namespaces()
                        : state.ServiceAccountsIn(namespaceName!);
                    var resourceVersion = state.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture);
                    return KubernetesResponse.Ok(new JsonObject
                    {
                        ["kind"] = type.ListKind,
                        ["apiVersion"] = "v1",
                        ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
                        ["items"] = new JsonArray([.. items.Select(i => i.ToJson(withTypeMeta: false))]),
                    });
                }

            case "POST":
                return Create(request, type, namespaceName);
            default:
                throw KubernetesStatus.MethodNotAllowed();
        }
    }

    private KubernetesResponse Item(KubernetesRequest request, ResourceType type, string? namespaceName, string name)
    {
        switch (request.Method)
        {
            case "GET":
                Authorize(request, "get", type, namespaceName, name);
                lock (state.Gate)
                {
                    var found = Find(type, namespaceName, name) ?? throw KubernetesStatus.NotFound(type.Resource, name);
                    return KubernetesResponse.Ok(found.ToJson());
                }

            case "PATCH":
                return Patch(request, type, namespaceName, name);
            case "DELETE":
                return Delete(request, type, namespaceName, name);
            default:
                throw KubernetesStatus.MethodNotAllowed();
        }
    }

    private KubernetesResponse Create(KubernetesRequest request, ResourceType type, string? namespaceName)
    {
        Authorize(request, "create", type, namespaceName, name: null);
        var options = RequestOptions.Parse(request, "CreateOptions", isPatch: false, isApply: false);
        var body = ObjectBody.ParseJsonBody(request);
        var apiVersion = body["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var av) ? av : "";
        var kind = body["kind"] is JsonValue k && k.TryGetValue<string>(out var kv) ? kv : "";
        if ((apiVersion.Length > 0 && apiVersion != "v1") || (kind.Length > 0 && kind != type.Kind))
        {
            throw KubernetesStatus.BadRequest(
                $"{type.Kind} in version \"v1\" cannot be handled as a {type.Kind}: "
                + $"the object provided is of kind {GoText.Quote(kind)} and version {GoText.Quote(apiVersion)}");
        }

        var metadata = body["metadata"] as JsonObject;
        var name = metadata?["name"] is JsonValue n && n.TryGetValue<string>(out var nv) ? nv : "";
        CheckBodyNamespace(type, metadata, namespaceName);
        var unknown = new List<string>();
        var fields = ObjectBody.ExtractFields(body, type, unknown, ObjectBody.TypedDecodeError(type));
        var warnings = ObjectBody.CheckUnknownFields(unknown, options.FieldValidation, apply: false, type);
        var manager = RequestOptions.ManagerOrUserAgent(options.FieldManager, request.UserAgent);

        lock (state.Gate)
        {
            if (type == ResourceType.ServiceAccounts)
            {
                CheckNamespaceAllowsCreate(type, namespaceName!, name);
            }

            var empty = new StoredObject(type, namespaceName, name);
            var created = empty.Clone();
            foreach (var (path, value) in fields)
            {
                created.SetValue(path, value);
            }

            if (type == ResourceType.Namespaces)
            {
                created.Labels[ServerLabels.NamespaceName] = name;
            }

            ThrowIfInvalid(created);
            if (Find(type, namespaceName, name) is { } existing)
            {
                throw KubernetesStatus.AlreadyExists(type.Resource, name, existing.IsTerminating);
            }

            FieldOwnership.RecordUpdate(empty, created, manager, KubernetesState.Now());
            Store(created, isNew: true, options.DryRun);
            return new KubernetesResponse(201, created.ToJson(), warnings);
        }
    }

    private KubernetesResponse Patch(KubernetesRequest request, ResourceType type, string? namespaceName, string name)
    {
        Authorize(request, "patch", type, namespaceName, name);
        var contentType = request.ContentType.Split(';')[0].Trim().ToLowerInvariant();
        var isApply = contentType == ApplyPatch;
        if (!isApply && contentType is not (MergePatch or StrategicMergePatch))
        {
            // JSON patch (RFC 6902) is accepted by a real apiserver but not emulated here.
            throw KubernetesStatus.UnsupportedMediaType();
        }

        var options = RequestOptions.Parse(request, "PatchOptions", isPatch: true, isApply);
        var body = isApply ? YamlJson.ParseObject(request.Body) : ObjectBody.ParseJsonBody(request);
        var metadata = body["metadata"] as JsonObject;
        var bodyName = metadata?["name"] is JsonValue n && n.TryGetValue<string>(out var nv) ? nv : null;
        var unknown = new List<string>();
        Dictionary<FieldPath, JsonNode>? applied = null;
        if (isApply)
        {
            CheckApplyTypeMeta(body, type);
            if (bodyName is not null && bodyName != name)
            {
                throw ObjectBody.NameMismatch(bodyName, name);
            }

            CheckBodyNamespace(type, metadata, namespaceName);
            applied = ObjectBody.ExtractFields(body, type, unknown, ObjectBody.TypedPatchError(type));
        }

        var warnings = ObjectBody.CheckUnknownFields(unknown, options.FieldValidation, isApply, type);
        var now = KubernetesState.Now();
        lock (state.Gate)
        {
            var live = Find(type, namespaceName, name);
            var created = live is null;
            if (live is null)
            {
                // Only an apply may create; the other patch types answer 404 for a missing object.
                if (!isApply)
                {
                    throw KubernetesStatus.NotFound(type.Resource, name);
                }

                if (bodyName is null)
                {
                    throw ObjectBody.NameMismatch("", name);
                }

                Authorize(request, "create", type, namespaceName, name);
                if (type == ResourceType.ServiceAccounts)
                {
                    CheckNamespaceAllowsCreate(type, namespaceName!, name);
                }

                live = new StoredObject(type, namespaceName, name);
            }

            StoredObject result;
            if (applied is not null)
            {
                result = FieldOwnership.Apply(live, applied, options.FieldManager, options.Force, now);
            }
            else
            {
                result = live.Clone();
                ObjectBody.ApplyMergePatch(result, body, type, unknown);
                warnings = ObjectBody.CheckUnknownFields(unknown, options.FieldValidation, apply: false, type);
                var manager = RequestOptions.ManagerOrUserAgent(options.FieldManager, request.UserAgent);
                FieldOwnership.RecordUpdate(live, result, manager, now);
            }

            if (type == ResourceType.Namespaces)
            {
                result.Labels[ServerLabels.NamespaceName] = name;
            }

            ThrowIfInvalid(result);

            // A no-op leaves the object (and so its resourceVersion) untouched, as etcd skips equal writes.
            if (created || !result.ValuesEqual(live) || !result.ManagedFieldsEqual(live))
            {
                Store(result, created, options.DryRun);
            }

            return new KubernetesResponse(created ? 201 : 200, result.ToJson(), warnings);
        }
    }

    private KubernetesResponse Delete(KubernetesRequest request, ResourceType type, string? namespaceName, string name)
    {
        Authorize(request, "delete", type, namespaceName, name);
        var options = RequestOptions.Parse(request, "DeleteOptions", isPatch: false, isApply: false);
        var (uid, resourceVersion) = DeletePreconditions(request);
        lock (state.Gate)
        {
            var found = Find(type, namespaceName, name) ?? throw KubernetesStatus.NotFound(type.Resource, name);

            // storage.Preconditions.Check, UID first; the store turns its InvalidObjError into a 409 Conflict.
            if (uid is not null && uid != found.Uid)
            {
                throw KubernetesStatus.Conflict(type.Resource, name,
                    $"Precondition failed: UID in precondition: {uid}, UID in object meta: {found.Uid}");
            }

            var liveVersion = found.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            if (resourceVersion is not null && resourceVersion != liveVersion)
            {
                throw KubernetesStatus.Conflict(type.Resource, name, "Precondition failed: ResourceVersion in "
                    + $"precondition: {resourceVersion}, ResourceVersion in object meta: {liveVersion}");
            }
            if (type == ResourceType.Namespaces)
            {
                // A namespace waits for its finalizer; nothing here finalizes, so it stays Terminating.
                var terminating = found.Clone();
                terminating.DeletionTimestamp ??= KubernetesState.Now();
                if (!found.IsTerminating && !options.DryRun)
                {
                    state.Save(terminating, isNew: false);
                }

                return KubernetesResponse.Ok(terminating.ToJson());
            }

            if (!options.DryRun)
            {
                state.Delete(found);
            }

            // The ServiceAccount store sets ReturnDeletedObject: the answer is the object as it was, not a Status.
            return KubernetesResponse.Ok(found.ToJson());
        }
    }

    /// <summary>The DeleteOptions body's preconditions (uid, resourceVersion); an empty body has none.</summary>
    private static (string? Uid, string? ResourceVersion) DeletePreconditions(KubernetesRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Body))
        {
            return (null, null);
        }

        var body = ObjectBody.ParseJsonBody(request);
        var kind = body["kind"] is JsonValue k && k.TryGetValue<string>(out var kv) ? kv : "";
        if (kind.Length > 0 && kind != "DeleteOptions")
        {
            throw KubernetesStatus.BadRequest(
                $"DeleteOptions in version \"v1\" cannot be handled as a DeleteOptions: the object provided is of "
                + $"kind {GoText.Quote(kind)}");
        }

        var preconditions = body["preconditions"] as JsonObject;
        static string? Text(JsonObject? o, string name) =>
            o?[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        return (Text(preconditions, "uid"), Text(preconditions, "resourceVersion"));
    }

    private StoredObject? Find(ResourceType type, string? namespaceName, string name) =>
        type == ResourceType.Namespaces
            ? state.FindNamespace(name)
            : state.FindServiceAccount(namespaceName!, name);

    private void Store(StoredObject target, bool isNew, bool dryRun)
    {
        if (!dryRun)
        {
            state.Save(target, isNew);
        }
        else if (isNew)
        {
            // A dry-run create shows the server-set fields but stores nothing and has no resourceVersion.
            target.Uid = Guid.NewGuid().ToString();
            target.CreationTimestamp = KubernetesState.Now();
        }
    }

    /// <summary>RBAC attributes: for the namespaces resource the request's namespace is the object's name.</summary>
    private void Authorize(
        KubernetesRequest request, string verb, ResourceType type, string? namespaceName, string? name)
    {
        var scope = type == ResourceType.Namespaces ? name ?? "" : namespaceName ?? "";
        if (policy.IsForbidden(request.User, verb, "", type.Resource, scope))
        {
            throw KubernetesStatus.RbacForbidden(request.User, verb, type.Resource, scope, name);
        }
    }

    /// <summary>NamespaceLifecycle admission: no content in a missing or Terminating namespace.</summary>
    private void CheckNamespaceAllowsCreate(ResourceType type, string namespaceName, string name)
    {
        var found = state.FindNamespace(namespaceName)
            ?? throw KubernetesStatus.NotFound(ResourceType.Namespaces.Resource, namespaceName);
        if (found.IsTerminating)
        {
            throw KubernetesStatus.NamespaceTerminating(type.Resource, name, namespaceName);
        }
    }

    private static void ThrowIfInvalid(StoredObject target)
    {
        var errors = ObjectValidation.Validate(target);
        if (errors.Count > 0)
        {
            throw KubernetesStatus.Invalid(target.Type.Kind, "", target.Name, errors);
        }
    }

    private static void CheckBodyNamespace(ResourceType type, JsonObject? metadata, string? namespaceName)
    {
        if (type.Namespaced
            && metadata?["namespace"] is JsonValue value && value.TryGetValue<string>(out var bodyNamespace)
            && bodyNamespace.Length > 0 && bodyNamespace != namespaceName)
        {
            throw KubernetesStatus.BadRequest(
                "the namespace of the provided object does not match the namespace sent on the request");
        }
    }

    /// <summary>versionCheckManager and structuredMergeManager checks on the applied object.</summary>
    private static void CheckApplyTypeMeta(JsonObject body, ResourceType type)
    {
        var apiVersion = body["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var av) ? av : "";
        var kind = body["kind"] is JsonValue k && k.TryGetValue<string>(out var kv) ? kv : "";
        var parts = apiVersion.Split('/');
        var (group, version) = parts.Length switch
        {
            1 => ("", parts[0]),
            2 => (parts[0], parts[1]),
            _ => ("", ""),
        };
        if (group.Length > 0 || version != "v1" || kind != type.Kind)
        {
            throw KubernetesStatus.BadRequest($"invalid object type: {group}/{version}, Kind={kind}");
        }

        if (body["metadata"] is JsonObject metadata && metadata["managedFields"] is JsonArray)
        {
            throw KubernetesStatus.BadRequest("metadata.managedFields must be nil");
        }
    }
}
