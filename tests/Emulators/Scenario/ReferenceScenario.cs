using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>
/// The reference spoke scenario (tests/fixtures/reference-scenario.json): one AKS cluster, one workload, one
/// user-assigned identity, one ServicePrincipal service connection.
/// </summary>
public sealed record ReferenceScenario(
    string TenantId,
    string SubscriptionId,
    string Location,
    string IdentityResourceGroup,
    string IdentityName,
    string ClientId,
    string PrincipalId,
    string ClusterResourceGroup,
    string ClusterName,
    string IssuerUrl,
    string Namespace,
    string ServiceAccountName,
    string FederatedCredentialName,
    string Subject,
    Guid ServiceConnectionId,
    string ServicePrincipalId)
{
    /// <summary>The service connection's name, the last part of its federation subject.</summary>
    public string ServiceConnectionName { get; init; } = "sc-pri-exampleapp-sbx";

    /// <summary>Loads the fixture shipped next to the test or sandbox assembly.</summary>
    public static ReferenceScenario Load(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "fixtures", "reference-scenario.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var azure = root["azure"]!;
        var identity = azure["identity"]!;
        var cluster = azure["cluster"]!;
        var binding = root["binding"]!;
        var connection = root["serviceConnection"]!;
        return new ReferenceScenario(
            (string)azure["tenantId"]!,
            (string)azure["subscriptionId"]!,
            (string)azure["location"]!,
            (string)identity["resourceGroup"]!,
            (string)identity["name"]!,
            (string)identity["clientId"]!,
            (string)identity["principalId"]!,
            (string)cluster["resourceGroup"]!,
            (string)cluster["name"]!,
            (string)cluster["issuerUrl"]!,
            (string)binding["namespace"]!,
            (string)binding["serviceAccountName"]!,
            (string)binding["federatedCredentialName"]!,
            (string)binding["subject"]!,
            Guid.Parse((string)connection["id"]!),
            (string)connection["servicePrincipalId"]!)
        {
            ServiceConnectionName = (string)connection["name"]!,
        };
    }
}
