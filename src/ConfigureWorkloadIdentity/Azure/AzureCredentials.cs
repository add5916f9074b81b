using Azure.Core;
using Azure.Identity;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>Builds Azure.Identity credentials for a cloud; sign-in itself happens on the first request.</summary>
internal static class AzureCredentials
{
    /// <summary>A service principal with a client secret.</summary>
    public static TokenCredential ServicePrincipalSecret(
        AzureCloud cloud,
        string tenantId,
        string clientId,
        string secret) =>
        new ClientSecretCredential(tenantId, clientId, secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = cloud.AuthorityHost,
            // The authority comes from the connection; MSAL must not ask the public cloud about it.
            DisableInstanceDiscovery = true,
        });

    /// <summary>
    /// On a laptop: environment variables (AZURE_CLIENT_ID ...), then the developer's Azure CLI sign-in.
    /// </summary>
    public static TokenCredential Developer(AzureCloud cloud, string? tenantId) =>
        new ChainedTokenCredential(
            new EnvironmentCredential(new EnvironmentCredentialOptions
            {
                AuthorityHost = cloud.AuthorityHost,
                DisableInstanceDiscovery = true,
            }),
            new AzureCliCredential(new AzureCliCredentialOptions { TenantId = tenantId }));
}
