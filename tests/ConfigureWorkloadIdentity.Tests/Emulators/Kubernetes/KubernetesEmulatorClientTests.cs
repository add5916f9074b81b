using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>The product's client, KubernetesClient.Aot, works against the emulator through a kubeconfig.</summary>
public sealed class KubernetesEmulatorClientTests(CertificateAuthorityFixture fixture)
    : IClassFixture<CertificateAuthorityFixture>
{
    private const string ClientId = "azure.workload.identity/client-id";

    [Fact]
    public async Task PatchNamespacedServiceAccount_ApplyTwice_Returns201Then200()
    {
        await using var harness = await KubernetesEmulatorHarness.StartAsync(fixture.Authority);
        harness.State.AddNamespace("team-a");
        using var client = new k8s.Kubernetes(
            KubernetesClientConfiguration.BuildConfigFromConfigFile(harness.WriteKubeconfig()));
        var body = KubernetesEmulatorHarness.ServiceAccountJson(
            "wi-sa", "team-a", annotations: new Dictionary<string, string> { [ClientId] = "1111" });

        using var first = await ApplyAsync(client, body);
        using var second = await ApplyAsync(client, body);

        Assert.Equal(HttpStatusCode.Created, first.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.Response.StatusCode);
        Assert.Equal("1111", second.Body.Metadata.Annotations[ClientId]);
        Assert.Equal(first.Body.Metadata.ResourceVersion, second.Body.Metadata.ResourceVersion);
        var entry = Assert.Single(second.Body.Metadata.ManagedFields);
        Assert.Equal("azdo-wi-task", entry.Manager);
        Assert.Equal("Apply", entry.Operation);
        var request = harness.Emulator.Requests.First(r => r.Method == "PATCH");
        Assert.Equal("application/apply-patch+yaml; charset=utf-8", request.Headers["content-type"]);
    }

    [Fact]
    public async Task PatchNamespacedServiceAccount_ConflictWithoutForce_ThrowsWithStatusInContent()
    {
        await using var harness = await KubernetesEmulatorHarness.StartAsync(fixture.Authority);
        harness.State.SeedServiceAccount(
            "team-a", "wi-sa", annotations: new Dictionary<string, string> { [ClientId] = "old" });
        using var client = new k8s.Kubernetes(
            KubernetesClientConfiguration.BuildConfigFromConfigFile(harness.WriteKubeconfig()));
        var body = KubernetesEmulatorHarness.ServiceAccountJson(
            "wi-sa", "team-a", annotations: new Dictionary<string, string> { [ClientId] = "new" });

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() => ApplyAsync(client, body, force: false));

        Assert.Equal(HttpStatusCode.Conflict, ex.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(ex.Response.Content);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("FieldManagerConflict", Assert.Single(status.Details.Causes).Reason);
    }

    private static Task<HttpOperationResponse<V1ServiceAccount>> ApplyAsync(
        k8s.Kubernetes client, string body, bool force = true) =>
        client.CoreV1.PatchNamespacedServiceAccountWithHttpMessagesAsync(
            new V1Patch(body, V1Patch.PatchType.ApplyPatch),
            "wi-sa",
            "team-a",
            fieldManager: "azdo-wi-task",
            force: force ? true : null);
}
