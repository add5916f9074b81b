using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Globalization;
using System.Text;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// A loopback Kubernetes API server for namespaces and ServiceAccounts: bearer-token authentication,
/// allow-unless-denied RBAC, legacy discovery for kubectl, create/get/list/delete, merge patches and
/// server-side apply with per-manager field ownership, and metav1.Status errors as the real apiserver writes
/// them.
/// </summary>
public sealed class KubernetesEmulator : EmulatorServer
{
    /// <summary>The audience of Entra ID tokens for AKS: the AKS server application.</summary>
    public const string AksServerAudience = "6dae42f8-4368-4678-94ff-3960e28e3630";

    private readonly AccessPolicy _policy = new();
    private readonly KubernetesApi _api;
    private (JwtSigner Signer, EmulatorClock Clock)? _entra;

    /// <summary>Creates the emulator, which serves <paramref name="certificateAuthority"/>'s certificate.</summary>
    public KubernetesEmulator(TestCertificateAuthority certificateAuthority)
    {
        CertificateAuthority = certificateAuthority;
        _api = new KubernetesApi(State, _policy);
    }

    /// <summary>The CA whose server certificate is served and which kubeconfigs carry.</summary>
    public TestCertificateAuthority CertificateAuthority { get; }

    /// <summary>The stored cluster state, for seeding and assertions.</summary>
    public KubernetesState State { get; } = new();

    /// <summary>Starts listening with <see cref="CertificateAuthority"/>'s server certificate.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(CertificateAuthority, cancellationToken);

    /// <summary>Accepts <c>Authorization: Bearer <paramref name="token"/></c> as <paramref name="userName"/>.</summary>
    public void AddUser(string token, string userName) => _policy.AddUser(token, userName);

    /// <summary>
    /// Accepts, besides the static tokens, Entra ID access tokens for the AKS server application signed by
    /// <paramref name="signer"/> (the Azure emulator's) and not expired by <paramref name="clock"/>, as an Entra ID
    /// enabled AKS cluster does. The user is the token's object id (oid), as AKS names Entra principals.
    /// </summary>
    public void TrustEntraTokens(JwtSigner signer, EmulatorClock clock) => _entra = (signer, clock);

    /// <summary>Makes the token unknown, as when it expires: later requests with it get 401.</summary>
    public void RevokeToken(string token) => _policy.RevokeToken(token);

    /// <summary>
    /// Refuses <paramref name="verb"/> (or any verb for "*") on <paramref name="resource"/> (plural, e.g.
    /// serviceaccounts) for the user, in one namespace or, when null, everywhere. For the namespaces resource the
    /// namespace is the namespace's own name, as in RBAC; creating or listing namespaces is cluster scope.
    /// </summary>
    public void Deny(string userName, string verb, string resource, string? namespaceName = null) =>
        _policy.Deny(userName, verb, resource, namespaceName);

    /// <summary>Removes every rule added with <see cref="Deny"/>.</summary>
    public void ClearDenials() => _policy.ClearDenials();

    /// <summary>
    /// Grants <paramref name="userName"/> exactly <paramref name="grants"/>, as RBAC would with only those Roles and
    /// ClusterRoles bound: every other request of the user is answered 403 Forbidden with RBAC's Status. Replaces an
    /// earlier allow-list for the user; <see cref="Deny"/> rules still apply on top.
    /// </summary>
    public void AllowOnly(string userName, IEnumerable<KubernetesGrant> grants) =>
        _policy.AllowOnly(userName, grants);

    /// <summary>Removes every allow-list added with <see cref="AllowOnly"/>.</summary>
    public void ClearAllowLists() => _policy.ClearAllowLists();

    /// <summary>Puts a namespace into Terminating (see <see cref="KubernetesState.MarkTerminating"/>).</summary>
    public void MarkTerminating(string namespaceName) => State.MarkTerminating(namespaceName);

    /// <summary>
    /// A kubeconfig for this server: one cluster (server and certificate-authority-data), one user with the
    /// token, one context (optionally with a namespace) that is the current context.
    /// </summary>
    public string CreateKubeconfig(string token, string contextName = "emulator", string? namespaceName = null)
    {
        var server = BaseUri.GetLeftPart(UriPartial.Authority);
        var builder = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(contextName)}")
            .AppendLine("  cluster:")
            .AppendLine(CultureInfo.InvariantCulture, $"    server: {Quote(server)}")
            .AppendLine(CultureInfo.InvariantCulture,
                $"    certificate-authority-data: {CertificateAuthority.CaPemBase64}")
            .AppendLine("users:")
            .AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(contextName + "-user")}")
            .AppendLine("  user:")
            .AppendLine(CultureInfo.InvariantCulture, $"    token: {Quote(token)}")
            .AppendLine("contexts:")
            .AppendLine(CultureInfo.InvariantCulture, $"- name: {Quote(contextName)}")
            .AppendLine("  context:")
            .AppendLine(CultureInfo.InvariantCulture, $"    cluster: {Quote(contextName)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    user: {Quote(contextName + "-user")}");
        if (namespaceName is not null)
        {
            builder.AppendLine(CultureInfo.InvariantCulture, $"    namespace: {Quote(namespaceName)}");
        }

        return builder.AppendLine(CultureInfo.InvariantCulture, $"current-context: {Quote(contextName)}")
            .ToString();
    }

    /// <summary>Writes a kubeconfig whose user signs in with a client certificate and its key.</summary>
    public void WriteClientCertificateKubeconfig(string path, X509Certificate2 certificate, string contextName)
    {
        static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
        using var key = certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The certificate has no RSA private key.", nameof(certificate));
        var yaml = CreateKubeconfig("unused", contextName);
        var certificatePem = certificate.ExportCertificatePem();
        var user = new StringBuilder()
            .AppendLine("  user:")
            .AppendLine(CultureInfo.InvariantCulture, $"    client-certificate-data: {Base64(certificatePem)}")
            .AppendLine(CultureInfo.InvariantCulture, $"    client-key-data: {Base64(key.ExportRSAPrivateKeyPem())}")
            .ToString();
        var start = yaml.IndexOf("  user:", StringComparison.Ordinal);
        var end = yaml.IndexOf('\n', yaml.IndexOf("token:", start, StringComparison.Ordinal)) + 1;
        File.WriteAllText(path, yaml[..start] + user + yaml[end..]);
    }

    /// <summary>Writes <see cref="CreateKubeconfig"/> to a file.</summary>
    public void WriteKubeconfig(
        string path, string token, string contextName = "emulator", string? namespaceName = null) =>
        File.WriteAllText(path, CreateKubeconfig(token, contextName, namespaceName));

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app) => app.Run(HandleAsync);

    /// <summary>A YAML double-quoted scalar, so tokens and names with any character survive.</summary>
    private static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                < ' ' => builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var rawBody = buffer.ToArray();

        int status;
        string json;
        IReadOnlyList<string> warnings = [];
        try
        {
            // The issuer's public documents are served to anyone, as AKS publishes them for Entra ID.
            var publicPath = request.Method == "GET"
                ? IssuerDiscovery.PublicPath(State, request.Host.Host, request.Path.Value ?? "/")
                : null;
            if (publicPath is not null)
            {
                var document = IssuerDiscovery.Document(State, publicPath) ?? throw KubernetesStatus.PathNotFound();
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(document.ToJsonString(), context.RequestAborted);
                return;
            }

            var user = Authenticate(request.Headers.Authorization.ToString(), context.Connection.ClientCertificate);
            var response = _api.Handle(new KubernetesRequest(
                request.Method,
                request.Path.Value ?? "/",
                request.Query.ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? "").ToArray()),
                request.ContentType ?? "",
                request.Headers.UserAgent.ToString(),
                request.Host.Value ?? "127.0.0.1",
                Encoding.UTF8.GetString(rawBody),
                rawBody,
                user));
            status = response.StatusCode;
            json = response.Body.ToJsonString(KubernetesJson.Options);
            warnings = response.Warnings;
        }
        catch (KubernetesApiException ex)
        {
            status = ex.StatusCode;
            json = ex.Status.ToJsonString(KubernetesJson.Options);
        }

        var headers = context.Response.Headers;
        headers["Audit-Id"] = Guid.NewGuid().ToString();
        headers.CacheControl = "no-cache, private";
        foreach (var warning in warnings)
        {
            headers.Append("Warning", $"299 - {GoText.Quote(warning)}");
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <inheritdoc />
    protected override bool AcceptsClientCertificates => true;

    private string Authenticate(string authorization, X509Certificate2? clientCertificate)
    {
        const string Bearer = "Bearer ";
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            // Like the apiserver's x509 authenticator: a certificate from the cluster CA, the CN as the user.
            return clientCertificate is not null && CertificateAuthority.Issued(clientCertificate)
                ? clientCertificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false)
                : throw KubernetesStatus.Unauthorized();
        }

        var token = authorization[Bearer.Length..].Trim();
        return _policy.FindUser(token) ?? EntraUser(token) ?? throw KubernetesStatus.Unauthorized();
    }

    private string? EntraUser(string token)
    {
        if (_entra is not { } entra || !JwtReader.TryParse(token, out var jwt)
            || jwt.Algorithm != "RS256" || !jwt.VerifySignature(entra.Signer.PublicKey))
        {
            return null;
        }

        var valid = jwt.GetAudiences().Contains(AksServerAudience, StringComparer.Ordinal)
            && jwt.GetTime("exp") is { } expires && expires > entra.Clock.UtcNow;
        return valid ? jwt.GetString("oid") : null;
    }
}
