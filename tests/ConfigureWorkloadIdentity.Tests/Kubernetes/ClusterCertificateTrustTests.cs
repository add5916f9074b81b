using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Kubernetes;
using k8s;

namespace ConfigureWorkloadIdentity.Tests.Kubernetes;

public sealed class ClusterCertificateTrustTests : IDisposable
{
    private readonly TestCertificateAuthority _cluster = new();
    private readonly TestCertificateAuthority _other = new();

    public void Dispose()
    {
        _cluster.Dispose();
        _other.Dispose();
    }

    [Fact]
    public void IsIssuedBy_TheGivenCa_Accepts() =>
        Assert.True(ClusterCertificateTrust.IsIssuedBy(
            Authorities(_cluster), _cluster.ServerCertificate, null, SslPolicyErrors.RemoteCertificateChainErrors));

    [Fact]
    public void IsIssuedBy_AnotherCa_RefusesEvenWhenTheSystemTrustsIt() =>
        Assert.False(ClusterCertificateTrust.IsIssuedBy(
            Authorities(_other), _cluster.ServerCertificate, null, SslPolicyErrors.None));

    [Theory]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData(SslPolicyErrors.RemoteCertificateNotAvailable)]
    public void IsIssuedBy_TheGivenCaButNotForTheHost_Refuses(SslPolicyErrors errors) =>
        Assert.False(ClusterCertificateTrust.IsIssuedBy(
            Authorities(_cluster), _cluster.ServerCertificate, null, errors));

    [Fact]
    public void PinCertificateAuthority_MovesTheCasIntoACallbackOfItsOwn()
    {
        var settings = new KubernetesClientConfiguration
        {
            Host = "https://127.0.0.1:6443",
            SslCaCerts = Authorities(_cluster),
        };

        ClusterCertificateTrust.PinCertificateAuthority(settings);

        // The client installs its own system-trust-first callback only when SslCaCerts is set.
        Assert.Null(settings.SslCaCerts);
        using var handler = new SocketsHttpHandler();
        settings.FirstMessageHandlerSetup!(handler);
        Assert.NotNull(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void PinCertificateAuthority_SkippingVerification_LeavesTheSettings()
    {
        var settings = new KubernetesClientConfiguration
        {
            Host = "https://127.0.0.1:6443",
            SkipTlsVerify = true,
            SslCaCerts = Authorities(_cluster),
        };

        ClusterCertificateTrust.PinCertificateAuthority(settings);

        Assert.NotNull(settings.SslCaCerts);
        Assert.Null(settings.FirstMessageHandlerSetup);
    }

    private static X509Certificate2Collection Authorities(TestCertificateAuthority ca)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(ca.CaPem);
        return collection;
    }
}
