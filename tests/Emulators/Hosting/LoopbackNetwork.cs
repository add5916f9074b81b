using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>
/// The internet as an emulated cloud service sees it: public host names (an AKS OIDC issuer such as
/// eastus.oic.prod-aks.azure.com) resolve to loopback emulators, and TLS is verified properly (chain and name)
/// against the emulator CAs it trusts, as a service trusts public CAs. A host that is not mapped does not resolve.
/// </summary>
public sealed class LoopbackNetwork : IDisposable
{
    private readonly ConcurrentDictionary<string, Uri> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, X509Certificate2> _roots = new(StringComparer.Ordinal);
    private readonly HttpClient _client;

    /// <summary>Creates a network with no hosts and no trusted CAs.</summary>
    public LoopbackNetwork()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
            PooledConnectionLifetime = TimeSpan.FromSeconds(5),
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Makes <paramref name="host"/> resolve to the loopback server at <paramref name="target"/>.</summary>
    public void Map(string host, Uri target) => _hosts[host] = target;

    /// <summary>Makes <paramref name="host"/> unresolvable again.</summary>
    public void Unmap(string host) => _hosts.TryRemove(host, out _);

    /// <summary>Trusts server certificates that <paramref name="ca"/> issued.</summary>
    public void Trust(TestCertificateAuthority ca) =>
        _roots.GetOrAdd(ca.CaPem, pem => X509Certificate2.CreateFromPem(pem));

    /// <summary>
    /// GETs <paramref name="uri"/>; the status and body, or null when the host does not resolve, the connection
    /// or TLS fails, or the request times out.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)?> GetAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _client.GetAsync(uri, cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        foreach (var root in _roots.Values)
        {
            root.Dispose();
        }
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken token)
    {
        if (!_hosts.TryGetValue(context.DnsEndPoint.Host, out var target))
        {
            throw new HttpRequestException($"No such host is known: {context.DnsEndPoint.Host}");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target.Port), token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (SocketException)
        {
            socket.Dispose();
            throw;
        }
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        // The name must match; only the root may be one of ours rather than a public one.
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
            || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots.Values.ToArray());
        if (certificate is X509Certificate2 leaf)
        {
            return custom.Build(leaf);
        }

        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(loaded);
    }
}
