using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using k8s;

namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// Pins a cluster's TLS to the CA its connection gives, as kubectl does: the API server's certificate must chain to
/// one of those CAs, and the machine's own trust store plays no part.
/// </summary>
/// <remarks>
/// KubernetesClient (21.x) installs a callback that accepts any certificate the system already trusts and consults
/// the given CA only when the system's chain fails, so a server the machine trusts (a corporate or public CA) passed
/// whatever CA the kubeconfig named. Its callback is installed only when the configuration carries SslCaCerts, after
/// FirstMessageHandlerSetup runs; so the CAs move out of the configuration into a callback of ours.
/// </remarks>
internal static class ClusterCertificateTrust
{
    /// <summary>
    /// Makes <paramref name="settings"/> verify the server by its SslCaCerts alone. Without CAs (the system's trust,
    /// as kubectl) or with SkipTlsVerify (the client accepts everything) it is left as it is.
    /// </summary>
    public static KubernetesClientConfiguration PinCertificateAuthority(KubernetesClientConfiguration settings)
    {
        if (settings.SkipTlsVerify || settings.SslCaCerts is not { Count: > 0 } authorities)
        {
            return settings;
        }

        settings.SslCaCerts = null;
        var previous = settings.FirstMessageHandlerSetup;
        settings.FirstMessageHandlerSetup = handler =>
        {
            previous?.Invoke(handler);
            handler.SslOptions.RemoteCertificateValidationCallback =
                (_, certificate, chain, errors) => IsIssuedBy(authorities, certificate, chain, errors);
        };
        return settings;
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> is for the host asked for and chains to one of
    /// <paramref name="authorities"/>; <paramref name="presented"/> lends the intermediates the server sent.
    /// </summary>
    public static bool IsIssuedBy(
        X509Certificate2Collection authorities,
        X509Certificate? certificate,
        X509Chain? presented,
        SslPolicyErrors errors)
    {
        const SslPolicyErrors fatal = SslPolicyErrors.RemoteCertificateNotAvailable
            | SslPolicyErrors.RemoteCertificateNameMismatch;
        if (certificate is null || (errors & fatal) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Like kubectl: a cluster CA has no revocation service to ask.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 leaf)
        {
            return chain.Build(leaf);
        }

        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(loaded);
    }
}
