using System.Security.Cryptography.X509Certificates;
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

    /// <summary>A service principal with a certificate and its private key, held in memory.</summary>
    public static TokenCredential ServicePrincipalCertificate(
        AzureCloud cloud,
        string tenantId,
        string clientId,
        X509Certificate2 certificate) =>
        new ClientCertificateCredential(tenantId, clientId, certificate, new ClientCertificateCredentialOptions
        {
            AuthorityHost = cloud.AuthorityHost,
            DisableInstanceDiscovery = true,
        });

    /// <summary>
    /// Workload identity federation through Azure DevOps: Azure.Identity requests the job's OIDC token from
    /// SYSTEM_OIDCREQUESTURI for every Entra request (the token lives about ten minutes).
    /// <paramref name="onOidcToken"/> sees each token first. The credential's pipeline retries transient failures
    /// (no answer, 408, 429, 5xx; never 401 or 403) as the in-box tasks do: 3 tries, <paramref name="retryDelay"/>
    /// apart. The same pipeline carries the Entra token requests, which get the same retries.
    /// </summary>
    public static TokenCredential AzurePipelines(
        AzureCloud cloud,
        string tenantId,
        string clientId,
        string serviceConnectionId,
        string systemAccessToken,
        Action<string> onOidcToken,
        TimeSpan retryDelay)
    {
        var options = new AzurePipelinesCredentialOptions
        {
            AuthorityHost = cloud.AuthorityHost,
            DisableInstanceDiscovery = true,
        };
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.MaxRetries = Pipelines.OidcRetry.Attempts - 1;
        options.Retry.Delay = retryDelay;
        options.AddPolicy(new OidcTokenObserverPolicy(onOidcToken), HttpPipelinePosition.PerCall);
        return new AzurePipelinesCredential(tenantId, clientId, serviceConnectionId, systemAccessToken, options);
    }

    /// <summary>
    /// A federated credential whose assertion comes from <paramref name="assertion"/>, called for every Entra
    /// request.
    /// </summary>
    public static TokenCredential FederatedAssertion(
        AzureCloud cloud,
        string tenantId,
        string clientId,
        Func<CancellationToken, Task<string>> assertion) =>
        new ClientAssertionCredential(tenantId, clientId, assertion, new ClientAssertionCredentialOptions
        {
            AuthorityHost = cloud.AuthorityHost,
            DisableInstanceDiscovery = true,
        });

    /// <summary>
    /// The managed identity of the machine the agent runs on: system-assigned, or the user-assigned one with
    /// <paramref name="clientId"/>. Azure.Identity finds the endpoint (IMDS, or IDENTITY_ENDPOINT where set).
    /// </summary>
    public static TokenCredential ManagedIdentity(string? clientId) =>
        new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(
            clientId is null
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(clientId)));

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
