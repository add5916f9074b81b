using System.Net;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Kubernetes;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>
/// The issuer's discovery documents (public under the issuer URL, reached through a <see cref="LoopbackNetwork"/>,
/// and at the API server root), and dry-run pod creates through admission and the workload identity webhook.
/// </summary>
public sealed class KubernetesEmulatorIssuerAndPodTests(CertificateAuthorityFixture fixture)
    : IClassFixture<CertificateAuthorityFixture>, IDisposable
{
    private const string Issuer = "https://eastus.oic.prod-aks.azure.com/tenant-1/issuer-1/";
    private const string Pods = "api/v1/namespaces/team-a/pods";
    private const string ClientId = "4024ab25-56a8-4370-aea6-6389221caf29";

    private readonly JwtSigner _signer = new("CN=Issuer");

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task IssuerDocuments_ThroughTheNetwork_DiscoveryNamesIssuerAndJwksHoldsTheSigningKey()
    {
        await using var harness = await StartAsync();
        using var network = new LoopbackNetwork();
        network.Map("eastus.oic.prod-aks.azure.com", harness.Emulator.BaseUri);
        network.Trust(fixture.Authority);

        var discovery = await network.GetAsync(new Uri(Issuer + ".well-known/openid-configuration"), default);
        var jwks = await network.GetAsync(new Uri(Issuer + "openid/v1/jwks"), default);

        Assert.Equal(HttpStatusCode.OK, discovery!.Value.Status);
        var document = JsonNode.Parse(discovery.Value.Body)!;
        Assert.Equal(Issuer, (string)document["issuer"]!);
        Assert.Equal(Issuer + "openid/v1/jwks", (string)document["jwks_uri"]!);
        Assert.Equal(HttpStatusCode.OK, jwks!.Value.Status);
        var key = JsonNode.Parse(jwks.Value.Body)!["keys"]![0]!;
        Assert.Equal(_signer.KeyId, (string)key["kid"]!);
        Assert.Equal((string)_signer.ToJwk()["n"]!, (string)key["n"]!);
        Assert.Null(key["x5c"]);
    }

    [Fact]
    public async Task IssuerDocuments_HostNotMappedOrCaNotTrusted_Unreachable()
    {
        await using var harness = await StartAsync();
        using var unmapped = new LoopbackNetwork();
        unmapped.Trust(fixture.Authority);
        using var untrusted = new LoopbackNetwork();
        untrusted.Map("eastus.oic.prod-aks.azure.com", harness.Emulator.BaseUri);

        Assert.Null(await unmapped.GetAsync(new Uri(Issuer + ".well-known/openid-configuration"), default));
        Assert.Null(await untrusted.GetAsync(new Uri(Issuer + ".well-known/openid-configuration"), default));
    }

    [Fact]
    public async Task IssuerDocuments_AtTheApiServerRoot_NeedAuthentication()
    {
        await using var harness = await StartAsync();

        var anonymous = await harness.SendAsync(HttpMethod.Get, ".well-known/openid-configuration", token: null);
        var signedIn = await harness.SendAsync(HttpMethod.Get, ".well-known/openid-configuration");

        Assert.Equal(401, anonymous.Status);
        Assert.Equal(200, signedIn.Status);
        Assert.Equal(Issuer, (string)signedIn.Json["issuer"]!);
    }

    [Fact]
    public async Task DryRunPod_LabelledWithAnnotatedServiceAccount_MutatedLikeTheWebhookAndNotStored()
    {
        await using var harness = await StartAsync();
        var writes = harness.State.WriteCount;

        var result = await harness.SendAsync(HttpMethod.Post, Pods + "?dryRun=All", Pod(labelled: true));

        Assert.Equal(201, result.Status);
        var container = result.Json["spec"]!["containers"]![0]!;
        var env = container["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string)e!["value"]!);
        Assert.Equal(ClientId, env["AZURE_CLIENT_ID"]);
        Assert.Equal("tenant-1", env["AZURE_TENANT_ID"]);
        Assert.Equal("/var/run/secrets/azure/tokens/azure-identity-token", env["AZURE_FEDERATED_TOKEN_FILE"]);
        Assert.Equal("https://login.microsoftonline.com/", env["AZURE_AUTHORITY_HOST"]);
        Assert.Equal("/var/run/secrets/azure/tokens", (string)container["volumeMounts"]![0]!["mountPath"]!);
        var token = result.Json["spec"]!["volumes"]![0]!["projected"]!["sources"]![0]!["serviceAccountToken"]!;
        Assert.Equal("api://AzureADTokenExchange", (string)token["audience"]!);
        Assert.StartsWith("probe-", (string)result.Json["metadata"]!["name"]!, StringComparison.Ordinal);
        Assert.Equal(writes, harness.State.WriteCount);
        Assert.Equal(200, (await harness.SendAsync(HttpMethod.Get, Pods)).Status);
        Assert.Empty((await harness.SendAsync(HttpMethod.Get, Pods)).Json["items"]!.AsArray());
    }

    [Fact]
    public async Task DryRunPod_WithoutTheLabel_NotMutated()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Post, Pods + "?dryRun=All", Pod(labelled: false));

        Assert.Equal(201, result.Status);
        Assert.Null(result.Json["spec"]!["containers"]![0]!["env"]);
        Assert.Null(result.Json["spec"]!["volumes"]);
    }

    [Fact]
    public async Task DryRunPod_ServiceAccountWithoutClientId_NotMutated()
    {
        await using var harness = await StartAsync();
        harness.State.SeedServiceAccount("team-a", "wi-sa");

        var result = await harness.SendAsync(HttpMethod.Post, Pods + "?dryRun=All", Pod(labelled: true));

        Assert.Equal(201, result.Status);
        Assert.Null(result.Json["spec"]!["containers"]![0]!["env"]);
    }

    [Fact]
    public async Task DryRunPod_WebhookNotInstalled_NotMutated()
    {
        await using var harness = await StartAsync();
        harness.State.RemoveMutatingWebhookConfiguration(KubernetesState.WorkloadIdentityWebhookName);

        var result = await harness.SendAsync(HttpMethod.Post, Pods + "?dryRun=All", Pod(labelled: true));

        Assert.Null(result.Json["spec"]!["containers"]![0]!["env"]);
    }

    [Fact]
    public async Task DryRunPod_MissingServiceAccount_ForbiddenByServiceAccountAdmission()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Post, Pods + "?dryRun=All",
            Pod(labelled: true, serviceAccount: "nobody", name: "p"));

        Assert.Equal(403, result.Status);
        Assert.Equal("pods \"p\" is forbidden: error looking up service account team-a/nobody: serviceaccount "
            + "\"nobody\" not found", (string)result.Json["message"]!);
    }

    [Fact]
    public async Task DryRunPod_CreateDenied_RbacForbidden()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Deny(KubernetesEmulatorHarness.UserName, "create", "pods", "team-a");

        var result = await harness.SendAsync(HttpMethod.Post, Pods + "?dryRun=All", Pod(labelled: true));

        Assert.Equal(403, result.Status);
        Assert.Equal("pods is forbidden: User \"alice@contoso.com\" cannot create resource \"pods\" in API group "
            + "\"\" in the namespace \"team-a\"", (string)result.Json["message"]!);
    }

    [Fact]
    public async Task Pod_CreateWithoutDryRun_NotEmulated()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Post, Pods, Pod(labelled: true));

        Assert.Equal(405, result.Status);
    }

    private static string Pod(bool labelled, string serviceAccount = "wi-sa", string? name = null)
    {
        var metadata = new JsonObject();
        if (name is null)
        {
            metadata["generateName"] = "probe-";
        }
        else
        {
            metadata["name"] = name;
        }

        if (labelled)
        {
            metadata["labels"] = new JsonObject { ["azure.workload.identity/use"] = "true" };
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["serviceAccountName"] = serviceAccount,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "pause" }),
            },
        }.ToJsonString();
    }

    private async Task<KubernetesEmulatorHarness> StartAsync()
    {
        var harness = await KubernetesEmulatorHarness.StartAsync(fixture.Authority);
        harness.State.ServiceAccountIssuer = (Issuer, _signer);
        harness.State.AddMutatingWebhookConfiguration(KubernetesState.WorkloadIdentityWebhookName, "kube-system",
            "tenant-1");
        harness.State.SeedServiceAccount("team-a", "wi-sa",
            annotations: new Dictionary<string, string> { ["azure.workload.identity/client-id"] = ClientId });
        return harness;
    }
}
