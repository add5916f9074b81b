using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Failures;

namespace ConfigureWorkloadIdentity.Tests.Failures;

public sealed class ArmFailuresTests
{
    private const string Identity = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/"
        + "userAssignedIdentities/mi";

    private const string Cluster = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/"
        + "managedClusters/aks";

    /// <summary>Status, ARM code, ARM message, and the fragments the explanation must contain.</summary>
    public static TheoryData<int, string, string, string[]> Catalogue => new()
    {
        { 403, "AuthorizationFailed", Denied("Microsoft.ManagedIdentity/userAssignedIdentities/"
            + "federatedIdentityCredentials/write", Identity + "/federatedIdentityCredentials/fic"),
            ["action Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write on "
             + Identity + ".", "Managed Identity Contributor", "--scope " + Identity + " ",
             "--assignee-object-id 0b1d"] },
        { 403, "AuthorizationFailed",
            Denied("Microsoft.ContainerService/managedClusters/listClusterUserCredential/action", Cluster),
            ["Azure Kubernetes Service Cluster User Role", "--scope " + Cluster] },
        { 403, "AuthorizationFailed",
            Denied("Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action", Cluster),
            ["Azure Kubernetes Service Cluster Admin Role"] },
        { 403, "AuthorizationFailed", Denied("Microsoft.ContainerService/managedClusters/read", Cluster),
            ["Azure Kubernetes Service Cluster User Role"] },
        { 403, "AuthorizationFailed", Denied("Microsoft.ManagedIdentity/userAssignedIdentities/read", Identity),
            ["Managed Identity Operator"] },
        { 403, "AuthorizationFailed", Denied("Microsoft.Other/things/read", "/subscriptions/s"), ["Reader"] },
        { 403, "AuthorizationFailed", Denied("Microsoft.Other/things/write", "/subscriptions/s"),
            ["a role that includes this action"] },
        { 401, "InvalidAuthenticationToken", "The access token is invalid.", ["rejected the service connection's"] },
        { 404, "ResourceGroupNotFound", "Resource group 'rg' could not be found.",
            ["resource group does not exist", "resource group inputs"] },
        { 404, "ResourceNotFound", "The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/mi' under "
            + "resource group 'rg' was not found.", ["was not found (404)"] },
        { 404, "SubscriptionNotFound", "The subscription 's' could not be found.", ["subscription does not exist"] },
        { 405, "BadRequest", "The request format was unexpected: Support for federated identity credentials not "
            + "enabled.", ["region cannot hold federated credentials"] },
        { 400, "BadRequest", "Getting static credential is not allowed because this cluster is set to disable "
            + "local accounts.", ["'useClusterAdmin' to false"] },
        { 400, "BadRequest", "Issuer and subject combination already exists for this Managed Identity.",
            ["already has this issuer and subject"] },
        { 400, "BadRequest", "Federated identity credentials must have exactly one audience.",
            ["exactly one audience, api://AzureADTokenExchange"] },
        { 400, "BadRequest", "The request format was unexpected. Federated Identity Credential must specify "
            + "'issuer', 'subject' and 'audience'.", ["without an issuer, subject or audience"] },
        { 400, "BadRequest", "Federated Identity Credential from HTTP body has empty properties",
            ["without an issuer, subject or audience"] },
        { 400, "BadRequest", "Federated Identity Credential name 'a' is invalid.",
            ["name is invalid", "'federatedCredentialName'"] },
        { 409, "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity", "Too many Federated "
            + "Identity Credentials are written concurrently.", ["one write at a time"] },
        { 429, "TooManyRequests", "Too many requests.", ["throttling", "(429) after the retries"] },
        { 503, "ServiceUnavailable", "Try later.", ["server error (503)", "Azure support"] },
    };

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void Explain_KnownFailure_SaysWhatAndTheFixAndKeepsTheEvidence(
        int status, string code, string message, string[] fragments)
    {
        var ex = new ArmRequestException("PUT", "/x", status, code, message, "req-1", "corr-1");

        var explained = ArmFailures.Explain(ex);

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, explained, StringComparison.Ordinal);
        }

        Assert.EndsWith(ex.Message, explained, StringComparison.Ordinal);
        Assert.Contains("x-ms-request-id: req-1, x-ms-correlation-request-id: corr-1", explained,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_UnknownFailure_IsTheEvidenceAlone()
    {
        var ex = new ArmRequestException("GET", "/x", 400, "SomethingNew", "new.", "r", "c");

        Assert.Equal(ex.Message, ArmFailures.Explain(ex));
    }

    private static string Denied(string action, string scope) =>
        $"The client 'app-1' with object id '0b1d' does not have authorization to perform action '{action}' over "
        + $"scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.";
}
