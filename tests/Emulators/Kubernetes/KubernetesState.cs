using System.Globalization;
using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// The emulator's in-memory cluster: namespaces and ServiceAccounts, one global resourceVersion counter (as
/// etcd has) and a count of API writes. Tests seed and read it; every member is thread-safe.
/// </summary>
public sealed class KubernetesState
{
    private readonly Dictionary<string, StoredObject> _namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Name), StoredObject> _serviceAccounts = [];
    private readonly Dictionary<string, JsonObject> _webhooks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _webhookTenants = new(StringComparer.Ordinal);
    private readonly List<(string Resource, string Namespace, JsonObject Object)> _workloads = [];
    private long _resourceVersion = 100;
    private int _writeCount;

    /// <summary>How many times an API request changed stored state (seeding does not count).</summary>
    public int WriteCount
    {
        get
        {
            lock (Gate)
            {
                return _writeCount;
            }
        }
    }

    /// <summary>The names of all namespaces, sorted.</summary>
    public IReadOnlyList<string> NamespaceNames
    {
        get
        {
            lock (Gate)
            {
                return [.. _namespaces.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Guards all state; the API handler holds it for a whole request.</summary>
    internal Lock Gate { get; } = new();

    internal long CurrentResourceVersion => _resourceVersion;

    /// <summary>Adds an Active namespace as <c>kubectl create namespace</c> would; no-op if it exists.</summary>
    public void AddNamespace(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        lock (Gate)
        {
            if (_namespaces.ContainsKey(name))
            {
                return;
            }

            var before = new StoredObject(ResourceType.Namespaces, null, name);
            var created = before.Clone();
            foreach (var (key, value) in labels ?? new Dictionary<string, string>())
            {
                created.Labels[key] = value;
            }

            created.Labels[ServerLabels.NamespaceName] = name;
            FieldOwnership.RecordUpdate(before, created, "kubectl-create", Now());
            Save(created, isNew: true, countWrite: false);
        }
    }

    /// <summary>Sets deletionTimestamp and phase Terminating, as a DELETE that waits on finalizers leaves it.</summary>
    /// <exception cref="InvalidOperationException">The namespace does not exist.</exception>
    public void MarkTerminating(string name)
    {
        lock (Gate)
        {
            var found = FindNamespace(name)
                ?? throw new InvalidOperationException($"Namespace '{name}' does not exist.");
            if (!found.IsTerminating)
            {
                var updated = found.Clone();
                updated.DeletionTimestamp = Now();
                Save(updated, isNew: false, countWrite: false);
            }
        }
    }

    /// <summary>A copy of the namespace as the API returns it, or null.</summary>
    public JsonObject? GetNamespace(string name)
    {
        lock (Gate)
        {
            return FindNamespace(name)?.ToJson();
        }
    }

    /// <summary>A copy of the ServiceAccount as the API returns it, or null.</summary>
    public JsonObject? GetServiceAccount(string namespaceName, string name)
    {
        lock (Gate)
        {
            return FindServiceAccount(namespaceName, name)?.ToJson();
        }
    }

    /// <summary>The ServiceAccount names in a namespace, sorted.</summary>
    public IReadOnlyList<string> GetServiceAccountNames(string namespaceName)
    {
        lock (Gate)
        {
            return [.. ServiceAccountsIn(namespaceName).Select(s => s.Name)];
        }
    }

    /// <summary>
    /// Stores a ServiceAccount owned by another manager (for example one made by client-side
    /// <c>kubectl apply</c>), creating the namespace when missing. The manager owns every label and annotation
    /// given. Replaces an existing ServiceAccount of that name.
    /// </summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="name">The ServiceAccount name.</param>
    /// <param name="labels">Labels to set, or null.</param>
    /// <param name="annotations">Annotations to set, or null.</param>
    /// <param name="manager">The owning field manager.</param>
    /// <param name="operation"><c>Update</c> or <c>Apply</c>.</param>
    public void SeedServiceAccount(
        string namespaceName,
        string name,
        IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null,
        string manager = "kubectl-client-side-apply",
        string operation = "Update")
    {
        if (operation is not (ManagedFieldsEntry.Apply or ManagedFieldsEntry.Update))
        {
            throw new ArgumentException("The operation must be Apply or Update.", nameof(operation));
        }

        lock (Gate)
        {
            AddNamespace(namespaceName);
            var seeded = new StoredObject(ResourceType.ServiceAccounts, namespaceName, name);
            var entry = new ManagedFieldsEntry { Manager = manager, Operation = operation, Time = Now() };
            foreach (var (key, value) in labels ?? new Dictionary<string, string>())
            {
                seeded.Labels[key] = value;
                entry.Fields.Add(FieldPath.Label(key));
            }

            foreach (var (key, value) in annotations ?? new Dictionary<string, string>())
            {
                seeded.Annotations[key] = value;
                entry.Fields.Add(FieldPath.Annotation(key));
            }

            if (entry.Fields.Count > 0)
            {
                seeded.ManagedFields.Add(entry);
            }

            _serviceAccounts.Remove((namespaceName, name));
            Save(seeded, isNew: true, countWrite: false);
        }
    }

    internal static DateTimeOffset Now()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    internal StoredObject? FindNamespace(string name) => _namespaces.GetValueOrDefault(name);

    internal StoredObject? FindServiceAccount(string namespaceName, string name) =>
        _serviceAccounts.GetValueOrDefault((namespaceName, name));

    internal IEnumerable<StoredObject> Namespaces() =>
        _namespaces.Values.OrderBy(n => n.Name, StringComparer.Ordinal);

    internal IEnumerable<StoredObject> ServiceAccountsIn(string namespaceName) =>
        _serviceAccounts.Values
            .Where(s => s.Namespace == namespaceName)
            .OrderBy(s => s.Name, StringComparer.Ordinal);

    /// <summary>Stores a new or changed object under a fresh resourceVersion. The caller holds the gate.</summary>
    internal void Save(StoredObject target, bool isNew, bool countWrite = true)
    {
        if (isNew)
        {
            target.Uid = Guid.NewGuid().ToString();
            target.CreationTimestamp = Now();
        }

        target.ResourceVersion = ++_resourceVersion;
        if (target.Type == ResourceType.Namespaces)
        {
            _namespaces[target.Name] = target;
        }
        else
        {
            _serviceAccounts[(target.Namespace!, target.Name)] = target;
        }

        if (countWrite)
        {
            _writeCount++;
        }
    }

    /// <summary>Deletes a ServiceAccount. The caller holds the gate.</summary>
    internal void Delete(StoredObject target)
    {
        _serviceAccounts.Remove((target.Namespace!, target.Name));
        _resourceVersion++;
        _writeCount++;
    }

    /// <summary>
    /// Installs a MutatingWebhookConfiguration the way the workload identity webhook ships it, with its service in
    /// <paramref name="serviceNamespace"/> (kube-system for the AKS add-on, azure-workload-identity-system for Helm).
    /// </summary>
    /// <param name="name">The configuration's name.</param>
    /// <param name="serviceNamespace">Where the webhook's service runs.</param>
    /// <param name="tenantId">The tenant the webhook injects as AZURE_TENANT_ID (its azure-wi-webhook-config).</param>
    public void AddMutatingWebhookConfiguration(string name, string serviceNamespace, string? tenantId = null)
    {
        var service = new JsonObject
        {
            ["name"] = "azure-wi-webhook-webhook-service",
            ["namespace"] = serviceNamespace,
            ["path"] = "/mutate-v1-pod",
            ["port"] = 443,
        };
        var webhook = new JsonObject
        {
            ["name"] = "mutation.azure-workload-identity.io",
            ["clientConfig"] = new JsonObject { ["service"] = service },
            ["objectSelector"] = new JsonObject
            {
                ["matchLabels"] = new JsonObject { ["azure.workload.identity/use"] = "true" },
            },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""),
                ["apiVersions"] = new JsonArray("v1"),
                ["operations"] = new JsonArray("CREATE"),
                ["resources"] = new JsonArray("pods"),
                ["scope"] = "*",
            }),
            ["failurePolicy"] = "Fail",
            ["sideEffects"] = "None",
            ["admissionReviewVersions"] = new JsonArray("v1", "v1beta1"),
        };
        lock (Gate)
        {
            _webhookTenants[name] = tenantId ?? "";
            _webhooks[name] = new JsonObject
            {
                ["kind"] = "MutatingWebhookConfiguration",
                ["apiVersion"] = "admissionregistration.k8s.io/v1",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["uid"] = Guid.NewGuid().ToString(),
                    ["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture),
                },
                ["webhooks"] = new JsonArray(webhook),
            };
        }
    }

    /// <summary>Removes a MutatingWebhookConfiguration.</summary>
    public void RemoveMutatingWebhookConfiguration(string name)
    {
        lock (Gate)
        {
            _webhooks.Remove(name);
        }
    }

    /// <summary>
    /// The configured tenant ("" when none) of the workload identity webhook when its configuration is installed,
    /// or null when it is not, so pods are not mutated. The caller holds the gate.
    /// </summary>
    internal string? WorkloadIdentityWebhookTenant() =>
        _webhooks.ContainsKey(WorkloadIdentityWebhookName)
            ? _webhookTenants.GetValueOrDefault(WorkloadIdentityWebhookName, "")
            : null;

    /// <summary>The name under which both the AKS add-on and the Helm chart install the webhook.</summary>
    public const string WorkloadIdentityWebhookName = "azure-wi-webhook-mutating-webhook-configuration";

    internal JsonObject? FindMutatingWebhookConfiguration(string name)
    {
        lock (Gate)
        {
            return _webhooks.TryGetValue(name, out var found) ? (JsonObject)found.DeepClone() : null;
        }
    }

    /// <summary>
    /// Seeds a read-only workload that runs pods: kind Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod,
    /// with its pod template's ServiceAccount and labels (for a Pod, its own), as the workload hints read them.
    /// </summary>
    public void AddWorkload(
        string kind,
        string namespaceName,
        string name,
        string? serviceAccountName,
        IReadOnlyDictionary<string, string>? podLabels = null,
        string phase = "Running")
    {
        var (apiVersion, resource) = kind switch
        {
            "Deployment" => ("apps/v1", "deployments"),
            "StatefulSet" => ("apps/v1", "statefulsets"),
            "DaemonSet" => ("apps/v1", "daemonsets"),
            "Job" => ("batch/v1", "jobs"),
            "CronJob" => ("batch/v1", "cronjobs"),
            "Pod" => ("v1", "pods"),
            _ => throw new ArgumentException($"Unsupported workload kind {kind}.", nameof(kind)),
        };
        var labels = new JsonObject();
        foreach (var (key, value) in podLabels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        var podSpec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) };
        if (serviceAccountName is not null)
        {
            podSpec["serviceAccountName"] = serviceAccountName;
        }

        var template = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels }, ["spec"] = podSpec };
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = namespaceName };
        JsonObject obj = kind switch
        {
            "Pod" => new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["namespace"] = namespaceName,
                    ["labels"] = labels.DeepClone(),
                },
                ["spec"] = podSpec.DeepClone(),
                ["status"] = new JsonObject { ["phase"] = phase },
            },
            "CronJob" => new JsonObject
            {
                ["metadata"] = metadata,
                ["spec"] = new JsonObject
                {
                    ["schedule"] = "*/5 * * * *",
                    ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = template } },
                },
            },
            _ => new JsonObject { ["metadata"] = metadata, ["spec"] = new JsonObject { ["template"] = template } },
        };
        obj["apiVersion"] = apiVersion;
        obj["kind"] = kind;
        lock (Gate)
        {
            obj["metadata"]!["uid"] = Guid.NewGuid().ToString();
            obj["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            _workloads.Add((resource, namespaceName, obj));
        }
    }

    internal IReadOnlyList<JsonObject> Workloads(string resource, string namespaceName)
    {
        lock (Gate)
        {
            return [.. _workloads.Where(w => w.Resource == resource && w.Namespace == namespaceName)
                .Select(w => (JsonObject)w.Object.DeepClone())];
        }
    }

    /// <summary>
    /// The issuer (and its signing key) of ServiceAccount tokens from the TokenRequest API; null until a test or
    /// world sets it, and then TokenRequest answers 404 as an apiserver without service account signing would.
    /// </summary>
    public (string Issuer, Hosting.JwtSigner Signer)? ServiceAccountIssuer { get; set; }

    /// <summary>
    /// The key the issuer publishes in its JWKS when it is not the signing key (a rotated key, another cluster's);
    /// null publishes the key of <see cref="ServiceAccountIssuer"/>.
    /// </summary>
    public Hosting.JwtSigner? PublishedIssuerKey { get; set; }

    /// <summary>Every ServiceAccount token issued, so tests can check none is ever printed.</summary>
    public IReadOnlyList<string> IssuedServiceAccountTokens
    {
        get
        {
            lock (Gate)
            {
                return [.. _issuedTokens];
            }
        }
    }

    private readonly List<string> _issuedTokens = [];

    internal void RecordIssuedToken(string token)
    {
        lock (Gate)
        {
            _issuedTokens.Add(token);
        }
    }
}
