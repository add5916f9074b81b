using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>
/// A certificate authority made at start for the emulators, with one server certificate for 127.0.0.1 and
/// localhost. Clients trust it through standard means: the PEM file (SSL_CERT_FILE) or kubeconfig CA data.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 _ca;
    private readonly RSA _caKey;
    private readonly ConcurrentDictionary<string, X509Certificate2> _namedCertificates =
        new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the CA and its server certificate and writes the CA PEM to a temporary file.</summary>
    public TestCertificateAuthority()
    {
        _caKey = RSA.Create(2048);
        // Each CA has a name of its own: two roots of one name in a trust store (the emulators' and the cluster's,
        // both trusted by the machine) make chain building pick by name and fail on the other's signature.
        var caRequest = new CertificateRequest(
            $"CN=Configure Workload Identity Emulator CA {Guid.NewGuid():N}", _caKey, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        _ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        ServerCertificate = IssueServerCertificate(now);
        CaPem = _ca.ExportCertificatePem() + "\n";
        CaPemPath = Path.Combine(Path.GetTempPath(), $"cwi-emulator-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(CaPemPath, CaPem);
    }

    /// <summary>The CA certificate in PEM form.</summary>
    public string CaPem { get; }

    /// <summary>A file holding <see cref="CaPem"/>, removed on dispose.</summary>
    public string CaPemPath { get; }

    /// <summary>The CA PEM, base64-encoded, as kubeconfig <c>certificate-authority-data</c> carries it.</summary>
    public string CaPemBase64 => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(CaPem));

    /// <summary>The TLS certificate (with private key) every emulator serves.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>
    /// The certificate to serve for a TLS server name (SNI): <see cref="ServerCertificate"/> for none, localhost or
    /// an IP address, else one issued for that host name too, so that an emulator can also stand in for a public
    /// host (an AKS OIDC issuer) that clients reach through a <see cref="LoopbackNetwork"/>.
    /// </summary>
    public X509Certificate2 ServerCertificateFor(string? serverName) =>
        string.IsNullOrEmpty(serverName) || serverName == "localhost" || IPAddress.TryParse(serverName, out _)
            ? ServerCertificate
            : _namedCertificates.GetOrAdd(serverName, name => IssueServerCertificate(DateTimeOffset.UtcNow, name));

    /// <inheritdoc />
    public void Dispose()
    {
        ServerCertificate.Dispose();
        foreach (var certificate in _namedCertificates.Values)
        {
            certificate.Dispose();
        }

        _ca.Dispose();
        _caKey.Dispose();
        try
        {
            File.Delete(CaPemPath);
        }
        catch (IOException)
        {
            // A leftover public CA file in the temp folder is harmless.
        }
    }

    /// <summary>
    /// Issues a client certificate for <paramref name="commonName"/> (Kubernetes reads the CN as the user name), as
    /// the AKS admin kubeconfig carries one.
    /// </summary>
    public X509Certificate2 IssueClientCertificate(string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            new X500DistinguishedName($"CN={commonName}, O=system:masters"), key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(_ca, now.AddDays(-1), now.AddDays(29), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this CA (and to no other root).</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private X509Certificate2 IssueServerCertificate(DateTimeOffset now, string? hostName = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            $"CN={hostName ?? "127.0.0.1"}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        if (hostName is not null)
        {
            san.AddDnsName(hostName);
        }

        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(_ca, now.AddDays(-1), now.AddDays(29), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux needs an exportable key it can load; a PFX round trip gives exactly that.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }
}
