using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// The namespace and ServiceAccount operations this task needs. ServiceAccounts are written with server-side
/// apply under one stable field manager, so fields that others own survive.
/// </summary>
internal sealed class ClusterClient(IKubernetes client)
{
    /// <summary>The field manager that owns what this task writes.</summary>
    public const string FieldManager = "configure-workload-identity";

    private const int MaxAttempts = 4;

    /// <summary>The API server this client talks to, for messages.</summary>
    public Uri BaseUri => client.BaseUri;

    /// <summary>The name under which both the AKS add-on and the Helm chart install the webhook.</summary>
    public const string WebhookConfigurationName = "azure-wi-webhook-mutating-webhook-configuration";

    /// <summary>
    /// Reads the workload identity webhook's MutatingWebhookConfiguration. Many deploy identities may not read
    /// cluster-scoped webhook configurations; a 403 means "unknown", not "absent".
    /// </summary>
    public Task<WebhookStatus> GetWebhookStatusAsync(CancellationToken cancellationToken) =>
        // Read once per run: preflight and the verification's dry run both ask, and it does not change meanwhile.
        webhookStatus ??= ReadWebhookStatusAsync(cancellationToken);

    private Task<WebhookStatus>? webhookStatus;

    private Task<WebhookStatus> ReadWebhookStatusAsync(CancellationToken cancellationToken) =>
        CallAsync(
            $"GET mutatingwebhookconfiguration {WebhookConfigurationName}",
            async () =>
            {
                var config = await client.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync(
                    WebhookConfigurationName, cancellationToken: cancellationToken);
                var serviceNamespace = config.Webhooks?.Select(w => w.ClientConfig?.Service?.NamespaceProperty)
                    .FirstOrDefault(n => n is not null);
                return new WebhookStatus(WebhookState.Installed, serviceNamespace);
            },
            cancellationToken,
            ex => ex.Response.StatusCode switch
            {
                HttpStatusCode.NotFound => new ExpectedAnswer<WebhookStatus>(new(WebhookState.Absent, null)),
                HttpStatusCode.Forbidden => new ExpectedAnswer<WebhookStatus>(new(WebhookState.Unknown, null)),
                _ => null,
            });

    /// <summary>
    /// Lists the workloads in a namespace whose pods run as <paramref name="serviceAccount"/>: Deployments,
    /// StatefulSets, DaemonSets, Jobs, CronJobs and pods (bare or running). Null when the cluster identity may not
    /// list them (403): the hints are a courtesy, not a check.
    /// </summary>
    public async Task<IReadOnlyList<WorkloadUse>?> ListWorkloadsUsingAsync(
        string ns,
        string serviceAccount,
        CancellationToken cancellationToken)
    {
        var found = new List<WorkloadUse>();
        void Add(string kind, string? name, V1PodTemplateSpec? template) =>
            Collect(found, kind, name, template?.Metadata, template?.Spec, serviceAccount, running: false);

        var forbidden = new ExpectedAnswer<bool>(false);
        ExpectedAnswer<bool>? Forbidden(HttpOperationException ex) =>
            ex.Response.StatusCode == HttpStatusCode.Forbidden ? forbidden : null;

        var listed = await CallAsync($"list workloads in namespace {ns}", async () =>
        {
            foreach (var d in (await client.AppsV1.ListNamespacedDeploymentAsync(
                ns, cancellationToken: cancellationToken)).Items)
            {
                Add("Deployment", d.Metadata?.Name, d.Spec?.Template);
            }

            foreach (var s in (await client.AppsV1.ListNamespacedStatefulSetAsync(
                ns, cancellationToken: cancellationToken)).Items)
            {
                Add("StatefulSet", s.Metadata?.Name, s.Spec?.Template);
            }

            foreach (var d in (await client.AppsV1.ListNamespacedDaemonSetAsync(
                ns, cancellationToken: cancellationToken)).Items)
            {
                Add("DaemonSet", d.Metadata?.Name, d.Spec?.Template);
            }

            foreach (var j in (await client.BatchV1.ListNamespacedJobAsync(
                ns, cancellationToken: cancellationToken)).Items)
            {
                Add("Job", j.Metadata?.Name, j.Spec?.Template);
            }

            foreach (var c in (await client.BatchV1.ListNamespacedCronJobAsync(
                ns, cancellationToken: cancellationToken)).Items)
            {
                Add("CronJob", c.Metadata?.Name, c.Spec?.JobTemplate?.Spec?.Template);
            }

            foreach (var pod in (await client.CoreV1.ListNamespacedPodAsync(
                ns, cancellationToken: cancellationToken)).Items)
            {
                Collect(found, "Pod", pod.Metadata?.Name, pod.Metadata, pod.Spec, serviceAccount,
                    running: pod.Status?.Phase == "Running",
                    owned: pod.Metadata?.OwnerReferences is { Count: > 0 });
            }

            return true;
        }, cancellationToken, Forbidden);
        return listed ? found : null;
    }

    private static void Collect(
        List<WorkloadUse> found,
        string kind,
        string? name,
        V1ObjectMeta? podMetadata,
        V1PodSpec? podSpec,
        string serviceAccount,
        bool running,
        bool owned = false)
    {
        // An empty serviceAccountName means "default"; serviceAccount is the deprecated alias.
        var runsAs = podSpec?.ServiceAccountName ?? podSpec?.ServiceAccount;
        if (name is null || !string.Equals(runsAs ?? "default", serviceAccount, StringComparison.Ordinal))
        {
            return;
        }

        var hasLabel = podMetadata?.Labels is { } labels
            && labels.TryGetValue("azure.workload.identity/use", out var value) && value == "true";
        found.Add(new WorkloadUse(kind, name, hasLabel, running, owned));
    }

    /// <summary>
    /// Creates, as a server-side dry run (dryRun=All: admission runs, nothing is stored), a pod that runs as
    /// <paramref name="serviceAccount"/> with <paramref name="labels"/>, and returns the pod as admission left it,
    /// mutating webhooks included. Null when the cluster identity may not create pods there (403).
    /// </summary>
    public Task<V1Pod?> DryRunCreatePodAsync(
        string ns,
        string serviceAccount,
        IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken) =>
        CallAsync<V1Pod?>(
            $"dry-run create of a pod in namespace {ns}",
            async () =>
            {
                var pod = new V1Pod
                {
                    ApiVersion = "v1",
                    Kind = "Pod",
                    Metadata = new V1ObjectMeta
                    {
                        GenerateName = "configure-workload-identity-dry-run-",
                        Labels = new Dictionary<string, string>(labels),
                    },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = serviceAccount,
                        // Never started: a dry run stops after admission.
                        Containers = [new V1Container { Name = "app", Image = "registry.k8s.io/pause:3.10" }],
                    },
                };
                return await client.CoreV1.CreateNamespacedPodAsync(
                    pod, ns, dryRun: "All", fieldManager: FieldManager, cancellationToken: cancellationToken);
            },
            cancellationToken,
            ex => ex.Response.StatusCode == HttpStatusCode.Forbidden
                && RbacDeniedPods(ex)
                ? new ExpectedAnswer<V1Pod?>(null)
                : null);

    /// <summary>
    /// Mints a short-lived token for the ServiceAccount through the TokenRequest API, exactly as the kubelet
    /// does for a pod's projected token: the cluster's issuer, subject system:serviceaccount:ns:name.
    /// </summary>
    public Task<string> CreateServiceAccountTokenAsync(
        string ns,
        string name,
        string audience,
        CancellationToken cancellationToken) =>
        CallAsync(
            $"create a token for serviceaccount {ns}/{name}",
            async () =>
            {
                var request = new Authenticationv1TokenRequest
                {
                    ApiVersion = "authentication.k8s.io/v1",
                    Kind = "TokenRequest",
                    // Ten minutes is the shortest lifetime the API server grants.
                    Spec = new V1TokenRequestSpec { Audiences = [audience], ExpirationSeconds = 600 },
                };
                var issued = await client.CoreV1.CreateNamespacedServiceAccountTokenAsync(
                    request, name, ns, cancellationToken: cancellationToken);
                return issued.Status?.Token is { Length: > 0 } token
                    ? token
                    : throw new KubernetesRequestException(
                        $"create a token for serviceaccount {ns}/{name}", 201, "NoToken",
                        "the TokenRequest answer held no token");
            },
            cancellationToken);

    /// <summary>Reads a namespace's state.</summary>
    public Task<NamespaceState> GetNamespaceStateAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(
            $"GET namespace {name}",
            async () =>
            {
                var ns = await client.CoreV1.ReadNamespaceAsync(name, cancellationToken: cancellationToken);
                return ns.Metadata?.DeletionTimestamp is not null
                    || string.Equals(ns.Status?.Phase, "Terminating", StringComparison.Ordinal)
                    ? NamespaceState.Terminating
                    : NamespaceState.Active;
            },
            cancellationToken,
            ex => ex.Response.StatusCode == HttpStatusCode.NotFound
                ? new ExpectedAnswer<NamespaceState>(NamespaceState.Missing)
                : null);

    /// <summary>Creates a namespace; false when it already existed (409 AlreadyExists is fine).</summary>
    public Task<bool> CreateNamespaceAsync(string name, CancellationToken cancellationToken) =>
        CallAsync<bool>(
            $"POST namespace {name}",
            async () =>
            {
                var body = new V1Namespace
                {
                    ApiVersion = "v1",
                    Kind = "Namespace",
                    Metadata = new V1ObjectMeta { Name = name },
                };
                await client.CoreV1.CreateNamespaceAsync(
                    body, fieldManager: FieldManager, cancellationToken: cancellationToken);
                return true;
            },
            cancellationToken,
            ex => ex.Response.StatusCode == HttpStatusCode.Conflict && ReadStatus(ex).Reason == "AlreadyExists"
                ? new ExpectedAnswer<bool>(false)
                : null);

    /// <summary>Reads a ServiceAccount; null when it does not exist.</summary>
    public async Task<V1ServiceAccount?> GetServiceAccountAsync(
        string ns,
        string name,
        CancellationToken cancellationToken)
    {
        return await CallAsync<V1ServiceAccount?>(
            $"GET serviceaccount {ns}/{name}",
            async () => await client.CoreV1.ReadNamespacedServiceAccountAsync(
                name, ns, cancellationToken: cancellationToken),
            cancellationToken,
            ex => ex.Response.StatusCode == HttpStatusCode.NotFound
                ? new ExpectedAnswer<V1ServiceAccount?>(null)
                : null);
    }

    /// <summary>
    /// Server-side applies the ServiceAccount with exactly the given annotations and labels under
    /// <see cref="FieldManager"/>, forcing ownership of those fields only (a controller's right on values it
    /// must keep correct). Every other label, annotation and field stays as it is.
    /// </summary>
    public Task<ServiceAccountApplyResult> ApplyServiceAccountAsync(
        string ns,
        string name,
        IReadOnlyDictionary<string, string> annotations,
        IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["annotations"] = ToJson(annotations),
            ["labels"] = ToJson(labels),
        };
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = metadata };
        return CallAsync(
            $"server-side apply of serviceaccount {ns}/{name}",
            async () =>
            {
                using var response = await client.CoreV1.PatchNamespacedServiceAccountWithHttpMessagesAsync(
                    new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch),
                    name,
                    ns,
                    fieldManager: FieldManager,
                    force: true,
                    cancellationToken: cancellationToken);
                return new ServiceAccountApplyResult(
                    response.Body, response.Response.StatusCode == HttpStatusCode.Created);
            },
            cancellationToken);
    }

    /// <summary>
    /// Takes back this task's fields: a server-side apply under <see cref="FieldManager"/> of a configuration with
    /// no fields, so the apiserver drops what only this task owned and keeps what another manager co-owns (its
    /// value stays, now owned by that manager alone). Reads first: a missing ServiceAccount is not created, and
    /// one this task owns nothing on is left untouched.
    /// </summary>
    /// <remarks>
    /// Known shortcoming: a ServiceAccount deleted between the read and the apply is created again, empty and
    /// owned by no one; a precondition on the apply (metadata.uid in the body) would close that window.
    /// </remarks>
    public async Task<ServiceAccountReleaseResult> ReleaseServiceAccountAsync(
        string ns,
        string name,
        CancellationToken cancellationToken)
    {
        var before = await GetServiceAccountAsync(ns, name, cancellationToken);
        if (before is null)
        {
            return new ServiceAccountReleaseResult(ServiceAccountReleaseOutcome.Missing, null, [], []);
        }

        var owned = ServiceAccountOwnership.OwnedBy(before, FieldManager);
        if (owned.Count == 0 && !(before.Metadata?.ManagedFields ?? []).Any(e => e.Manager == FieldManager))
        {
            return new ServiceAccountReleaseResult(ServiceAccountReleaseOutcome.NothingOwned, before, [], []);
        }

        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        };
        var after = await CallAsync(
            $"server-side apply (release) of serviceaccount {ns}/{name}",
            async () => await client.CoreV1.PatchNamespacedServiceAccountAsync(
                new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch),
                name,
                ns,
                fieldManager: FieldManager,
                force: true,
                cancellationToken: cancellationToken),
            cancellationToken);
        var present = ServiceAccountOwnership.Present(after);
        return new ServiceAccountReleaseResult(
            ServiceAccountReleaseOutcome.Released,
            after,
            [.. owned.Where(f => !present.Contains(f)).Order(StringComparer.Ordinal)],
            [.. owned.Where(present.Contains).Order(StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Deletes the ServiceAccount when nothing on it belongs to anyone but this task: its managedFields name only
    /// <see cref="FieldManager"/> (other managers owning nothing but what the apiserver sets itself) and every
    /// label, annotation and field it holds is one this task owns. The delete carries the uid and resourceVersion
    /// read as preconditions, so a change by someone else in between fails it (409) instead of being lost. Call it
    /// before <see cref="ReleaseServiceAccountAsync"/>: when it keeps the ServiceAccount, release this task's fields.
    /// </summary>
    public async Task<ServiceAccountDeleteResult> DeleteServiceAccountIfOnlyOursAsync(
        string ns,
        string name,
        CancellationToken cancellationToken)
    {
        var account = await GetServiceAccountAsync(ns, name, cancellationToken);
        if (account is null)
        {
            return new ServiceAccountDeleteResult(ServiceAccountDeleteOutcome.Missing, "it does not exist");
        }

        if (!(account.Metadata?.ManagedFields ?? []).Any(e => e.Manager == FieldManager))
        {
            return new ServiceAccountDeleteResult(ServiceAccountDeleteOutcome.Kept,
                $"field manager {FieldManager} has no part in it");
        }

        var others = ServiceAccountOwnership.OthersThan(account, FieldManager);
        if (others.Count > 0)
        {
            return new ServiceAccountDeleteResult(ServiceAccountDeleteOutcome.Kept, "other field managers own "
                + string.Join("; ", others.Select(o => $"{o.Manager}: {string.Join(", ", o.Fields)}")));
        }

        var owned = ServiceAccountOwnership.OwnedBy(account, FieldManager);
        var unowned = ServiceAccountOwnership.Present(account).Where(f => !owned.Contains(f)).ToList();
        if (unowned.Count > 0)
        {
            return new ServiceAccountDeleteResult(ServiceAccountDeleteOutcome.Kept,
                "it holds fields no field manager records: "
                + string.Join(", ", unowned.Order(StringComparer.Ordinal)));
        }

        var options = new V1DeleteOptions
        {
            Preconditions = new V1Preconditions
            {
                Uid = account.Metadata!.Uid,
                ResourceVersion = account.Metadata.ResourceVersion,
            },
        };
        return await CallAsync(
            $"DELETE serviceaccount {ns}/{name}",
            async () =>
            {
                await client.CoreV1.DeleteNamespacedServiceAccountAsync(
                    name, ns, options, cancellationToken: cancellationToken);
                return new ServiceAccountDeleteResult(ServiceAccountDeleteOutcome.Deleted,
                    "only " + FieldManager + " owned any of it");
            },
            cancellationToken,
            ex => ex.Response.StatusCode switch
            {
                HttpStatusCode.NotFound => new ExpectedAnswer<ServiceAccountDeleteResult>(
                    new(ServiceAccountDeleteOutcome.Missing, "it went before the delete")),
                HttpStatusCode.Conflict => new ExpectedAnswer<ServiceAccountDeleteResult>(
                    new(ServiceAccountDeleteOutcome.ChangedMeanwhile, ReadStatus(ex).Message ?? "409 Conflict")),
                _ => null,
            });
    }

    /// <summary>
    /// Runs one API call; an error answer becomes a <see cref="KubernetesRequestException"/> unless
    /// <paramref name="expected"/> turns it into a value (404 as "missing", say). Throttling, server errors and
    /// network failures are retried a few times (every call here is safe to repeat: reads, server-side apply,
    /// and a namespace create whose repeat answers AlreadyExists), honouring Retry-After.
    /// </summary>
    private async Task<T> CallAsync<T>(
        string action,
        Func<Task<T>> call,
        CancellationToken cancellationToken,
        Func<HttpOperationException, ExpectedAnswer<T>?>? expected = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (HttpOperationException ex)
            {
                if (expected?.Invoke(ex) is { } value)
                {
                    return value.Value;
                }

                if (attempt < MaxAttempts && IsTransient(ex.Response.StatusCode))
                {
                    await Task.Delay(RetryDelay(ex, attempt), cancellationToken);
                    continue;
                }

                var status = ReadStatus(ex);
                throw new KubernetesRequestException(
                    action, (int)ex.Response.StatusCode, status.Reason, status.Message, Header(ex, "Audit-Id"));
            }
            catch (HttpRequestException ex)
            {
                if (attempt < MaxAttempts)
                {
                    await Task.Delay(Backoff(attempt), cancellationToken);
                    continue;
                }

                throw new KubernetesRequestException(
                    action, 0, "Unreachable", $"could not reach the API server at {client.BaseUri}: {ex.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's timeout: the API server took the request but never answered.
                if (attempt < MaxAttempts)
                {
                    await Task.Delay(Backoff(attempt), cancellationToken);
                    continue;
                }

                throw new KubernetesRequestException(action, 0, "Timeout",
                    $"the API server at {client.BaseUri} did not answer within "
                    + $"{RequestTimeout.PerAttempt.TotalSeconds:0} s, {MaxAttempts} times. Check the cluster's health "
                    + "and the network path to it, or raise the "
                    + $"pipeline variable {RequestTimeout.VariableName} (seconds per attempt).");
            }
        }
    }

    // An RBAC refusal says "cannot create resource"; other 403s (admission) are answers about the pod.
    private static bool RbacDeniedPods(HttpOperationException ex) =>
        ReadStatus(ex).Message?.Contains("cannot create resource \"pods\"", StringComparison.Ordinal) == true;

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static TimeSpan RetryDelay(HttpOperationException ex, int attempt)
    {
        var retryAfter = int.TryParse(Header(ex, "Retry-After"), out var seconds)
            ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, 10))
            : (TimeSpan?)null;
        return retryAfter ?? Backoff(attempt);
    }

    /// <summary>A response header; over HTTP/2 names arrive in lower case, so the lookup ignores case.</summary>
    private static string? Header(HttpOperationException ex, string name) =>
        ex.Response.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase))
            .Value?.FirstOrDefault();

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1));

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> values)
    {
        var json = new JsonObject();
        foreach (var (key, value) in values)
        {
            json[key] = value;
        }

        return json;
    }

    private static (string? Reason, string? Message) ReadStatus(HttpOperationException ex)
    {
        try
        {
            using var doc = JsonDocument.Parse(ex.Response.Content ?? "");
            var root = doc.RootElement;
            return (Text(root, "reason"), Text(root, "message"));
        }
        catch (JsonException)
        {
            // Not a metav1.Status (a proxy's page): the HTTP status is all there is.
            return (null, null);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
