using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

/// <summary>
/// A started <see cref="AzureEmulator"/> seeded with the reference scenario's Azure values, and an HttpClient
/// that trusts only the emulator CA.
/// </summary>
internal sealed class AzureEmulatorHarness : IAsyncDisposable
{
    public const string TenantId = "6ee1d96e-4c90-42a8-be8a-f94078515d91";
    public const string SubscriptionId = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    public const string ResourceGroup = "rg-pri-exampleapp-sbx";
    public const string IdentityName = "mi-aks-pri-exampleapp-sbx";
    public const string IdentityClientId = "a1b2c3d4-0000-4000-8000-00000000c11e";
    public const string IdentityPrincipalId = "a1b2c3d4-0000-4000-8000-0000000001d0";
    public const string ClusterName = "aks-pri-exampleapp-sbx";
    public const string IssuerUrl = "https://eastus.oic.prod-aks.azure.com/6ee1d96e-4c90-42a8-be8a-f94078515d91/"
        + "3a089226-f0f0-42b1-beac-59b087c4befc/";
    public const string ClientId = "f3e1c2d4-5b6a-4789-8abc-1234567890ab";
    public const string ObjectId = "0d4c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d";
    public const string Secret = "emulator-secret-value~1";
    public const string ArmScope = "https://management.azure.com/.default";
    public const string Subject = "system:serviceaccount:exampleapp-ns:exampleapp-wi-sa";

    // Key generation dominates start-up, so every test shares one CA and one token key; each still gets its
    // own emulator and state.
    private static readonly Lazy<TestCertificateAuthority> SharedCa = new(() => new TestCertificateAuthority());
    private static readonly Lazy<JwtSigner> SharedSigner = new(() => new JwtSigner());

    private AzureEmulatorHarness(TestCertificateAuthority ca, AzureEmulator emulator)
    {
        Ca = ca;
        Emulator = emulator;
        Http = new HttpClient(CreateHandler());
    }

    public TestCertificateAuthority Ca { get; }

    public AzureEmulator Emulator { get; }

    public AzureState State => Emulator.State;

    public HttpClient Http { get; }

    public ServicePrincipal Principal { get; private set; } = null!;

    public static string IdentityPath(string identityName = IdentityName) =>
        $"subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}"
        + $"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identityName}";

    public static string CredentialPath(string name, string identityName = IdentityName) =>
        $"{IdentityPath(identityName)}/federatedIdentityCredentials/{name}";

    public static string ClusterPath(string clusterName = ClusterName) =>
        $"subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}"
        + $"/providers/Microsoft.ContainerService/managedClusters/{clusterName}";

    public static string CredentialBody(
        string issuer = IssuerUrl,
        string subject = Subject,
        string audiences = "[\"api://AzureADTokenExchange\"]") =>
        $$$"""{"properties":{"issuer":"{{{issuer}}}","subject":"{{{subject}}}","audiences":{{{audiences}}}}}""";

    public static async Task<AzureEmulatorHarness> StartAsync()
    {
        var ca = SharedCa.Value;
        var emulator = new AzureEmulator(SharedSigner.Value);
        var harness = new AzureEmulatorHarness(ca, emulator);
        harness.Principal = emulator.State.AddServicePrincipal(TenantId, ClientId, ObjectId, Secret);
        emulator.State.AddSubscription(SubscriptionId, TenantId, "Spoke Sandbox");
        emulator.State.AddIdentity(
            SubscriptionId, ResourceGroup, IdentityName, "eastus", IdentityClientId, IdentityPrincipalId, TenantId);
        emulator.State.AddCluster(SubscriptionId, ResourceGroup, ClusterName, "eastus", IssuerUrl, true, true);
        await emulator.StartAsync(ca);
        return harness;
    }

    /// <summary>A handler that trusts the emulator CA alone (tests only: the product uses standard trust).</summary>
    public HttpClientHandler CreateHandler()
    {
        var root = X509CertificateLoader.LoadCertificate(Encoding.ASCII.GetBytes(Ca.CaPem));
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            },
        };
    }

    public async Task<HttpResponseMessage> PostTokenAsync(
        IEnumerable<KeyValuePair<string, string>> form,
        string tenant = TenantId)
    {
        var uri = new Uri(Emulator.BaseUri, $"{tenant}/oauth2/v2.0/token");
        return await Http.PostAsync(uri, new FormUrlEncodedContent(form));
    }

    public async Task<string> GetTokenAsync(string scope = ArmScope)
    {
        using var response = await PostTokenAsync(
        [
            new("grant_type", "client_credentials"),
            new("client_id", ClientId),
            new("client_secret", Secret),
            new("scope", scope),
        ]);
        response.EnsureSuccessStatusCode();
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["access_token"]!.GetValue<string>();
    }

    public async Task<HttpResponseMessage> SendArmAsync(
        HttpMethod method,
        string path,
        string? body = null,
        string? apiVersion = "2023-01-31",
        string? token = null)
    {
        var query = apiVersion is null ? "" : (path.Contains('?', StringComparison.Ordinal) ? "&" : "?")
            + "api-version=" + apiVersion;
        using var request = new HttpRequestMessage(method, new Uri(Emulator.BaseUri, path + query));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? await GetTokenAsync());
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request);
    }

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<(string Code, string Message)> ReadArmErrorAsync(HttpResponseMessage response)
    {
        var error = (await ReadJsonAsync(response))["error"]!;
        return (error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
