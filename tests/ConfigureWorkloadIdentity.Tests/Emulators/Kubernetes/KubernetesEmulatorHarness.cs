using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Kubernetes;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>
/// A started emulator with one known user, a temporary folder and an HttpClient that trusts the emulator CA
/// (and only it) the way a kubeconfig's certificate-authority-data does.
/// </summary>
internal sealed class KubernetesEmulatorHarness : IAsyncDisposable
{
    public const string Token = "admin-token";
    public const string UserName = "alice@contoso.com";

    private readonly X509Certificate2 _caCertificate;
    private readonly HttpClient _http;

    private KubernetesEmulatorHarness(KubernetesEmulator emulator, TestCertificateAuthority ca)
    {
        Emulator = emulator;
        _caCertificate = X509Certificate2.CreateFromPem(ca.CaPem);
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = TrustEmulatorCa };
        _http = new HttpClient(handler) { BaseAddress = emulator.BaseUri, Timeout = TimeSpan.FromSeconds(10) };
        TempDirectory = Directory.CreateTempSubdirectory("cwi-k8s-").FullName;
    }

    public KubernetesEmulator Emulator { get; }

    public KubernetesState State => Emulator.State;

    public string TempDirectory { get; }

    public static async Task<KubernetesEmulatorHarness> StartAsync(TestCertificateAuthority ca)
    {
        var emulator = new KubernetesEmulator(ca);
        await emulator.StartAsync(CancellationToken.None);
        emulator.AddUser(Token, UserName);
        return new KubernetesEmulatorHarness(emulator, ca);
    }

    /// <summary>Writes a kubeconfig for the token into the temporary folder and returns its path.</summary>
    public string WriteKubeconfig(string token = Token, string? namespaceName = null)
    {
        var path = Path.Combine(TempDirectory, $"kubeconfig-{Guid.NewGuid():N}");
        Emulator.WriteKubeconfig(path, token, namespaceName: namespaceName);
        return path;
    }

    public async Task<ApiResult> SendAsync(
        HttpMethod method,
        string pathAndQuery,
        string? body = null,
        string contentType = "application/json",
        string? token = Token,
        string? userAgent = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery.TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (userAgent is not null)
        {
            request.Headers.UserAgent.ParseAdd(userAgent);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        return new ApiResult((int)response.StatusCode, text, headers);
    }

    /// <summary>Server-side applies a ServiceAccount body (JSON) as <paramref name="manager"/>.</summary>
    public Task<ApiResult> ApplyServiceAccountAsync(
        string namespaceName, string name, string body, string manager = "azdo-wi-task", bool force = false) =>
        SendAsync(
            HttpMethod.Patch,
            $"api/v1/namespaces/{namespaceName}/serviceaccounts/{name}?fieldManager={manager}"
            + (force ? "&force=true" : ""),
            body,
            "application/apply-patch+yaml; charset=utf-8");

    public static string ServiceAccountJson(
        string name,
        string? namespaceName = null,
        IReadOnlyDictionary<string, string>? labels = null,
        IReadOnlyDictionary<string, string>? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (namespaceName is not null)
        {
            metadata["namespace"] = namespaceName;
        }

        if (labels is not null)
        {
            metadata["labels"] = ToJson(labels);
        }

        if (annotations is not null)
        {
            metadata["annotations"] = ToJson(annotations);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = metadata,
        }.ToJsonString();
    }

    /// <summary>The request log, one line per request, for assertion messages.</summary>
    public string DescribeRequests() => string.Join(
        "\n",
        Emulator.Requests.Select(r =>
            $"{r.Method} {r.Path}{r.Query} [{r.Headers.GetValueOrDefault("content-type")}] -> {r.Status} {r.Body}"));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _caCertificate.Dispose();
        await Emulator.DisposeAsync();
        try
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder does no harm.
        }
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map)
        {
            json[key] = value;
        }

        return json;
    }

    /// <summary>Tests only: accept exactly the chain that ends at the emulator CA, names still checked.</summary>
    private bool TrustEmulatorCa(
        HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_caCertificate);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(certificate);
    }
}
