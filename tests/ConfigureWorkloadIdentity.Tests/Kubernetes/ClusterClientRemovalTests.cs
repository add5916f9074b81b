using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

namespace ConfigureWorkloadIdentity.Tests.Kubernetes;

/// <summary>
/// Taking back this task's fields (an empty server-side apply) and deleting a ServiceAccount only this task owns,
/// with ClusterClient against the Kubernetes emulator.
/// </summary>
public sealed class ClusterClientRemovalTests(CertificateAuthorityFixture fixture)
    : IClassFixture<CertificateAuthorityFixture>, IAsyncLifetime
{
    private const string Ns = "team-a";
    private const string Name = "wi-sa";
    private const string ClientId = "azure.workload.identity/client-id";
    private const string Use = "azure.workload.identity/use";

    private KubernetesEmulatorHarness _harness = null!;
    private ClusterClient _client = null!;

    public async Task InitializeAsync()
    {
        _harness = await KubernetesEmulatorHarness.StartAsync(fixture.Authority);
        _harness.State.AddNamespace(Ns);
        _client = ClusterConnection.FromKubeconfigFile(_harness.WriteKubeconfig(), null, _ => null, _ => { });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Release_FieldsOnlyWeOwn_RemovedOthersKept()
    {
        _harness.State.SeedServiceAccount(Ns, Name, labels: new Dictionary<string, string> { ["team"] = "a" });
        await ApplyOursAsync();

        var result = await _client.ReleaseServiceAccountAsync(Ns, Name, CancellationToken.None);

        Assert.Equal(ServiceAccountReleaseOutcome.Released, result.Outcome);
        Assert.Equal(["annotation " + ClientId, "label " + Use], result.Removed);
        Assert.Empty(result.KeptShared);
        var stored = Stored();
        Assert.Null(stored["metadata"]!["annotations"]?[ClientId]);
        Assert.Null(stored["metadata"]!["labels"]![Use]);
        Assert.Equal("a", stored["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.DoesNotContain(Managers(stored), m => m == ClusterClient.FieldManager);
    }

    [Fact]
    public async Task Release_FieldAnotherApplierCoOwns_StaysWithItsValue()
    {
        await ApplyOursAsync();
        var shared = KubernetesEmulatorHarness.ServiceAccountJson(
            Name, Ns, annotations: new Dictionary<string, string> { [ClientId] = "1111" });
        Assert.Equal(200, (await _harness.ApplyServiceAccountAsync(Ns, Name, shared, "gitops")).Status);

        var result = await _client.ReleaseServiceAccountAsync(Ns, Name, CancellationToken.None);

        Assert.Equal(["label " + Use], result.Removed);
        Assert.Equal(["annotation " + ClientId], result.KeptShared);
        Assert.Equal("1111", Stored()["metadata"]!["annotations"]![ClientId]!.GetValue<string>());
        Assert.Equal(["gitops"], Managers(Stored()));
    }

    [Fact]
    public async Task Release_Missing_SendsNoApplySoNothingIsCreated()
    {
        var result = await _client.ReleaseServiceAccountAsync(Ns, Name, CancellationToken.None);

        Assert.Equal(ServiceAccountReleaseOutcome.Missing, result.Outcome);
        Assert.Null(_harness.State.GetServiceAccount(Ns, Name));
        Assert.DoesNotContain(_harness.Emulator.Requests, r => r.Method == "PATCH");
    }

    [Fact]
    public async Task Release_NothingOurs_LeavesItUntouched()
    {
        _harness.State.SeedServiceAccount(Ns, Name, annotations: new Dictionary<string, string> { [ClientId] = "x" });

        var result = await _client.ReleaseServiceAccountAsync(Ns, Name, CancellationToken.None);

        Assert.Equal(ServiceAccountReleaseOutcome.NothingOwned, result.Outcome);
        Assert.DoesNotContain(_harness.Emulator.Requests, r => r.IsWrite);
    }

    [Fact]
    public async Task Delete_OnlyOurs_DeletedWithPreconditionsAndTheNamespaceStays()
    {
        var applied = await ApplyOursAsync();

        var result = await _client.DeleteServiceAccountIfOnlyOursAsync(Ns, Name, CancellationToken.None);

        Assert.Equal(ServiceAccountDeleteOutcome.Deleted, result.Outcome);
        Assert.Null(_harness.State.GetServiceAccount(Ns, Name));
        var delete = Assert.Single(_harness.Emulator.Requests, r => r.Method == "DELETE");
        Assert.EndsWith($"/serviceaccounts/{Name}", delete.Path, StringComparison.Ordinal);
        var preconditions = JsonNode.Parse(delete.Body)!["preconditions"]!;
        Assert.Equal(applied.Metadata.Uid, preconditions["uid"]!.GetValue<string>());
        Assert.Equal(applied.Metadata.ResourceVersion, preconditions["resourceVersion"]!.GetValue<string>());
        Assert.NotNull(_harness.State.GetNamespace(Ns));
    }

    [Fact]
    public async Task Delete_AnotherManagerOwnsALabel_KeptNamingIt()
    {
        _harness.State.SeedServiceAccount(Ns, Name, labels: new Dictionary<string, string> { ["team"] = "a" });
        await ApplyOursAsync();

        var result = await _client.DeleteServiceAccountIfOnlyOursAsync(Ns, Name, CancellationToken.None);

        Assert.Equal(ServiceAccountDeleteOutcome.Kept, result.Outcome);
        Assert.Contains("kubectl-client-side-apply: label team", result.Reason, StringComparison.Ordinal);
        Assert.NotNull(_harness.State.GetServiceAccount(Ns, Name));
        Assert.DoesNotContain(_harness.Emulator.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Delete_NotOursAtAll_Kept()
    {
        _harness.State.SeedServiceAccount(Ns, Name, annotations: new Dictionary<string, string> { [ClientId] = "x" });

        var result = await _client.DeleteServiceAccountIfOnlyOursAsync(Ns, Name, CancellationToken.None);

        Assert.Equal(ServiceAccountDeleteOutcome.Kept, result.Outcome);
        Assert.NotNull(_harness.State.GetServiceAccount(Ns, Name));
    }

    [Fact]
    public async Task Delete_ReplacedBetweenReadAndDelete_ConflictKeepsTheirs()
    {
        await ApplyOursAsync();
        // Someone recreates it (a new uid) just as the delete arrives.
        _harness.Emulator.InjectFault(new FaultRule
        {
            Method = "DELETE",
            PathPattern = "/serviceaccounts/",
            Kind = FaultKind.Latency,
            Delay = TimeSpan.Zero,
            Times = 1,
            OnFire = () => _harness.State.SeedServiceAccount(
                Ns, Name, labels: new Dictionary<string, string> { ["owner"] = "them" }),
        });

        var result = await _client.DeleteServiceAccountIfOnlyOursAsync(Ns, Name, CancellationToken.None);

        Assert.Equal(ServiceAccountDeleteOutcome.ChangedMeanwhile, result.Outcome);
        Assert.Contains("Precondition failed: UID in precondition", result.Reason, StringComparison.Ordinal);
        Assert.Equal("them", _harness.State.GetServiceAccount(Ns, Name)!["metadata"]!["labels"]!["owner"]!
            .GetValue<string>());
    }

    [Fact]
    public async Task Delete_Missing_ReportsMissing() =>
        Assert.Equal(ServiceAccountDeleteOutcome.Missing,
            (await _client.DeleteServiceAccountIfOnlyOursAsync(Ns, Name, CancellationToken.None)).Outcome);

    [Fact]
    public async Task Emulator_DeleteWithStaleResourceVersion_409ConflictStatus()
    {
        var applied = await ApplyOursAsync();
        var body = new JsonObject
        {
            ["preconditions"] = new JsonObject { ["uid"] = applied.Metadata.Uid, ["resourceVersion"] = "1" },
        }.ToJsonString();

        var stale = await _harness.SendAsync(HttpMethod.Delete, $"api/v1/namespaces/{Ns}/serviceaccounts/{Name}", body);

        Assert.Equal(409, stale.Status);
        Assert.Equal("Conflict", stale.Json["reason"]!.GetValue<string>());
        Assert.Equal(
            $"Operation cannot be fulfilled on serviceaccounts \"{Name}\": Precondition failed: ResourceVersion in "
            + $"precondition: 1, ResourceVersion in object meta: {applied.Metadata.ResourceVersion}",
            stale.Json["message"]!.GetValue<string>());
        Assert.Equal(Name, stale.Json["details"]!["name"]!.GetValue<string>());
        Assert.Equal("serviceaccounts", stale.Json["details"]!["kind"]!.GetValue<string>());
        Assert.NotNull(_harness.State.GetServiceAccount(Ns, Name));
    }

    private async Task<k8s.Models.V1ServiceAccount> ApplyOursAsync() =>
        (await _client.ApplyServiceAccountAsync(Ns, Name,
            new Dictionary<string, string> { [ClientId] = "1111" },
            new Dictionary<string, string> { [Use] = "true" },
            CancellationToken.None)).ServiceAccount;

    private JsonObject Stored() => _harness.State.GetServiceAccount(Ns, Name)!;

    private static List<string> Managers(JsonObject stored) =>
        [.. (stored["metadata"]!["managedFields"]?.AsArray() ?? []).Select(e => e!["manager"]!.GetValue<string>())];
}
