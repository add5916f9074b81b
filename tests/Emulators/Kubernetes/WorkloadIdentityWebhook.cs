using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// The Azure workload identity mutating webhook's pod mutation (azure-workload-identity, mutation.azure-workload-
/// identity.io): for a pod labelled azure.workload.identity/use: "true" whose ServiceAccount carries the client-id
/// annotation, it adds AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE and AZURE_AUTHORITY_HOST to
/// every container, mounts the projected token, and adds the projected ServiceAccount token volume for audience
/// api://AzureADTokenExchange. Pods without the label are not sent to it (its objectSelector).
/// </summary>
internal static class WorkloadIdentityWebhook
{
    public const string UseLabel = "azure.workload.identity/use";
    public const string ClientIdAnnotation = "azure.workload.identity/client-id";
    public const string TenantIdAnnotation = "azure.workload.identity/tenant-id";
    public const string TokenVolume = "azure-identity-token";
    public const string TokenFolder = "/var/run/secrets/azure/tokens";
    public const string AuthorityHost = "https://login.microsoftonline.com/";

    /// <summary>Whether the webhook's objectSelector sends the pod to it.</summary>
    public static bool Selects(JsonObject pod) =>
        pod["metadata"]?["labels"]?[UseLabel] is JsonValue value && value.TryGetValue<string>(out var use)
        && use == "true";

    /// <summary>
    /// Mutates <paramref name="pod"/> in place for a ServiceAccount with <paramref name="annotations"/>; the tenant
    /// comes from the ServiceAccount's tenant-id annotation or else the webhook's configured tenant. Does nothing
    /// without the client-id annotation, which the webhook requires.
    /// </summary>
    public static void Mutate(JsonObject pod, IReadOnlyDictionary<string, string> annotations, string? tenantId)
    {
        if (!annotations.TryGetValue(ClientIdAnnotation, out var clientId) || clientId.Length == 0)
        {
            return;
        }

        var tenant = annotations.GetValueOrDefault(TenantIdAnnotation) ?? tenantId ?? "";
        var spec = pod["spec"] as JsonObject ?? [];
        pod["spec"] = spec;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var container in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                AddEnvironment(container, "AZURE_CLIENT_ID", clientId);
                AddEnvironment(container, "AZURE_TENANT_ID", tenant);
                AddEnvironment(container, "AZURE_FEDERATED_TOKEN_FILE", $"{TokenFolder}/{TokenVolume}");
                AddEnvironment(container, "AZURE_AUTHORITY_HOST", AuthorityHost);
                var mounts = container["volumeMounts"] as JsonArray ?? [];
                container["volumeMounts"] = mounts;
                mounts.Add(new JsonObject
                {
                    ["name"] = TokenVolume,
                    ["readOnly"] = true,
                    ["mountPath"] = TokenFolder,
                });
            }
        }

        var volumes = spec["volumes"] as JsonArray ?? [];
        spec["volumes"] = volumes;
        volumes.Add(new JsonObject
        {
            ["name"] = TokenVolume,
            ["projected"] = new JsonObject
            {
                ["sources"] = new JsonArray(new JsonObject
                {
                    ["serviceAccountToken"] = new JsonObject
                    {
                        ["audience"] = "api://AzureADTokenExchange",
                        ["expirationSeconds"] = 3600,
                        ["path"] = TokenVolume,
                    },
                }),
                ["defaultMode"] = 420,
            },
        });
    }

    /// <summary>An environment variable the container does not set itself (the webhook keeps the pod's own).</summary>
    private static void AddEnvironment(JsonObject container, string name, string value)
    {
        var env = container["env"] as JsonArray ?? [];
        container["env"] = env;
        if (!env.OfType<JsonObject>().Any(e => (string?)e["name"] == name))
        {
            env.Add(new JsonObject { ["name"] = name, ["value"] = value });
        }
    }
}
