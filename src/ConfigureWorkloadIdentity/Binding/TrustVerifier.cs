using System.Diagnostics;
using Azure.Core;
using Azure.Identity;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Failures;
using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Proves the trust works before any workload depends on it: mints a token for the ServiceAccount the way the
/// kubelet does for a pod and exchanges it at Entra ID for the identity, as the workload's SDK will. A new
/// federated credential takes a while to propagate, so "no matching federated identity record" is retried
/// until the timeout; any other refusal fails at once. Then, where the webhook is installed, a dry-run pod shows
/// that it injects the identity (<see cref="WebhookProbe"/>).
/// </summary>
internal sealed class TrustVerifier(AzureCloud cloud, ClusterClient cluster, IReporter reporter, TimeSpan timeout)
{
    private static readonly string[] PropagationCodes =
        ["AADSTS70021", "AADSTS700211", "AADSTS700212", "AADSTS700213"];

    private readonly WebhookProbe _webhook = new(cluster, reporter);

    /// <summary>
    /// Verifies the binding and returns the lines that say so (reported by the caller) and the warnings (already
    /// reported); throws <see cref="BindingFailedException"/> when the trust does not work.
    /// </summary>
    public async Task<Verification> VerifyAsync(
        BindingRequest request,
        ObservedIdentity identity,
        string issuer,
        CancellationToken cancellationToken)
    {
        var token = await cluster.CreateServiceAccountTokenAsync(
            request.Namespace, request.ServiceAccountName, BindingRequest.Audience, cancellationToken);
        reporter.RegisterSecret(token);

        // Entra answers a wrong issuer or subject the same way as a credential still propagating (AADSTS70021),
        // so compare them here first: waiting could never help a mismatch.
        var claims = TokenClaims.Read(token) ?? new TokenClaims("?", "?", "?");
        var (iss, sub, aud) = (claims.Issuer, claims.Subject, claims.Audience);
        if (iss != issuer || sub != request.Subject)
        {
            throw new BindingFailedException(
                $"Verification failed: the cluster's ServiceAccount token carries iss '{iss}', sub '{sub}', "
                + $"aud '{aud}', but the federated credential trusts issuer '{issuer}', subject "
                + $"'{request.Subject}'. Entra ID compares them byte for byte. Make them equal: use the issuer the "
                + "cluster signs its tokens with.");
        }

        var watch = Stopwatch.StartNew();
        var delay = TimeSpan.FromSeconds(2);
        for (var attempt = 1; ; attempt++)
        {
            var credential = new ClientAssertionCredential(
                identity.TenantId,
                identity.ClientId,
                () => token,
                new ClientAssertionCredentialOptions
                {
                    AuthorityHost = cloud.AuthorityHost,
                    DisableInstanceDiscovery = true,
                });
            try
            {
                var access = await credential.GetTokenAsync(
                    new TokenRequestContext([cloud.ResourceManagerScope]), cancellationToken);
                reporter.RegisterSecret(access.Token);
                var took = $"{watch.Elapsed.TotalSeconds:0.0} s";
                var verified = $"Verified: a token for ServiceAccount {request.Namespace}/{request.ServiceAccountName} "
                    + $"was exchanged at Entra ID for identity {request.Identity.Name} (client id {identity.ClientId}) "
                    + $"after {attempt} attempt{(attempt == 1 ? "" : "s")} ({took}).";
                var (webhook, warning) = await _webhook.CheckAsync(request, identity.ClientId, cancellationToken);
                return new Verification(
                    webhook is null ? [verified] : [verified, webhook], warning is null ? [] : [warning]);
            }
            catch (AuthenticationFailedException ex)
                when (IsPropagation(ex) && watch.Elapsed + delay < timeout)
            {
                reporter.Info($"Entra ID does not know the federated credential yet (attempt {attempt}, "
                    + $"{watch.Elapsed.TotalSeconds:0} s); trying again in {delay.TotalSeconds:0} s.");
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
            }
            catch (AuthenticationFailedException ex)
            {
                var reason = string.Join(' ', (ex.InnerException?.Message ?? ex.Message)
                    .Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
                throw new BindingFailedException(
                    $"Verification failed after {attempt} attempt{(attempt == 1 ? "" : "s")} "
                    + $"({watch.Elapsed.TotalSeconds:0} s): Entra ID refused the ServiceAccount's token for identity "
                    + $"{request.Identity.Name}: {reason} The token carries iss '{iss}', sub '{sub}', aud '{aud}'; the "
                    + $"federated credential trusts issuer '{issuer}', subject '{request.Subject}', audience "
                    + $"'{BindingRequest.Audience}'. "
                    + (IsPropagation(ex)
                        ? "If they are equal the credential has not propagated yet: run again later, or raise "
                          + $"'{InputNames.VerifyTimeout}'."
                        : EntraCodes.Find(reason)?.WorkloadFix
                          ?? "Make them equal (the cluster's issuer, byte for byte)."),
                    ex);
            }
        }
    }

    private static bool IsPropagation(AuthenticationFailedException ex)
    {
        var text = ex.InnerException?.Message ?? ex.Message;
        return PropagationCodes.Any(code => text.Contains(code + ":", StringComparison.Ordinal)
            || text.Contains(code + " ", StringComparison.Ordinal));
    }
}
