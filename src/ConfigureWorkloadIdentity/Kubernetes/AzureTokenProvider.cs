using System.Net.Http.Headers;
using Azure.Core;
using k8s.Authentication;

namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// Bearer tokens for an Entra ID enabled AKS cluster from the service connection's own credential, in place of the
/// kubelogin exec plugin the cluster's kubeconfig names: no kubelogin or Azure CLI is needed on the agent.
/// The token is kept until five minutes before it expires; the credential decides when to ask Entra again.
/// </summary>
internal sealed class AzureTokenProvider(TokenCredential credential, string scope) : ITokenProvider
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AccessToken? _token;

    /// <inheritdoc />
    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not { } token || token.ExpiresOn <= DateTimeOffset.UtcNow.AddMinutes(5))
            {
                token = await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
                _token = token;
            }

            return new AuthenticationHeaderValue("Bearer", token.Token);
        }
        finally
        {
            _gate.Release();
        }
    }
}
