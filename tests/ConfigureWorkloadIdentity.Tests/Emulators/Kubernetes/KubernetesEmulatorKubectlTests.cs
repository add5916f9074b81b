using System.Text.Json.Nodes;
using Xunit;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>The real kubectl, an independent client, accepts the emulator and sees what was applied.</summary>
public sealed class KubernetesEmulatorKubectlTests(CertificateAuthorityFixture fixture)
    : IClassFixture<CertificateAuthorityFixture>
{
    private const string ClientId = "azure.workload.identity/client-id";

    [Fact]
    public async Task GetJson_AppliedServiceAccount_ShowsAppliedAnnotation()
    {
        await using var harness = await StartAsync();
        await harness.ApplyServiceAccountAsync(
            "team-a",
            "wi-sa",
            KubernetesEmulatorHarness.ServiceAccountJson(
                "wi-sa", annotations: new Dictionary<string, string> { [ClientId] = "1111" }));

        var result = await RunAsync(harness, null, "get", "sa", "wi-sa", "-n", "team-a", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal("ServiceAccount", json["kind"]!.GetValue<string>());
        Assert.Equal("1111", json["metadata"]!["annotations"]![ClientId]!.GetValue<string>());
        Assert.Contains(harness.Emulator.Requests, r => r.Path == "/api/v1/namespaces/team-a/serviceaccounts/wi-sa");
    }

    [Fact]
    public async Task ApplyServerSide_SecondManagerWithOtherValue_ConflictsUntilForceConflicts()
    {
        await using var harness = await StartAsync();
        var first = Manifest("owner-1");
        var second = Manifest("owner-2");

        var created = await RunAsync(harness, first, ApplyArguments("ops-team"));
        var conflict = await RunAsync(harness, second, ApplyArguments("azdo-wi-task"));
        var forced = await RunAsync(harness, second, [.. ApplyArguments("azdo-wi-task"), "--force-conflicts"]);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("serverside-applied", created.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains(
            "Apply failed with 1 conflict: conflict with \"ops-team\": .metadata.labels.team",
            conflict.Error,
            StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        var stored = harness.State.GetServiceAccount("team-a", "wi-sa")!;
        Assert.Equal("owner-2", stored["metadata"]!["labels"]!["team"]!.GetValue<string>());
        var managers = stored["metadata"]!["managedFields"]!.AsArray()
            .Select(e => e!["manager"]!.GetValue<string>());
        Assert.Equal(["azdo-wi-task"], managers);
        Assert.Contains(
            harness.Emulator.Requests,
            r => r.Method == "PATCH" && r.Query.Contains("force=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Annotate_AppliedServiceAccount_KeepsOtherFields()
    {
        await using var harness = await StartAsync();
        await harness.ApplyServiceAccountAsync(
            "team-a",
            "wi-sa",
            KubernetesEmulatorHarness.ServiceAccountJson(
                "wi-sa",
                labels: new Dictionary<string, string> { ["app"] = "web" },
                annotations: new Dictionary<string, string> { [ClientId] = "1111" }));

        var result = await RunAsync(harness, null, "annotate", "sa", "wi-sa", "-n", "team-a", "note=hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        var metadata = harness.State.GetServiceAccount("team-a", "wi-sa")!["metadata"]!;
        Assert.Equal("1111", metadata["annotations"]![ClientId]!.GetValue<string>());
        Assert.Equal("hello", metadata["annotations"]!["note"]!.GetValue<string>());
        Assert.Equal("web", metadata["labels"]!["app"]!.GetValue<string>());
        Assert.Contains(
            metadata["managedFields"]!.AsArray(),
            e => e!["manager"]!.GetValue<string>() == "kubectl-annotate"
                && e["operation"]!.GetValue<string>() == "Update");
    }

    [Fact]
    public async Task CreateNamespace_ThenGet_ShowsActiveNamespace()
    {
        await using var harness = await StartAsync();

        var created = await RunAsync(harness, null, "create", "namespace", "team-b");
        var listed = await RunAsync(harness, null, "get", "namespaces");

        Assert.True(created.ExitCode == 0, created + harness.DescribeRequests());
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("team-b", listed.Output, StringComparison.Ordinal);
        Assert.Equal("Active", harness.State.GetNamespace("team-b")!["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_WithWrongToken_FailsUnauthorized()
    {
        await using var harness = await StartAsync();
        var kubeconfig = harness.WriteKubeconfig(token: "not-a-known-token");

        var result = await Kubectl.RunAsync(
            kubeconfig, Path.Combine(harness.TempDirectory, "cache"), null, "get", "sa", "-n", "team-a");

        Assert.NotEqual(0, result.ExitCode);
        // client-go's wording for a 401 during discovery, as against a real cluster with an expired token.
        Assert.True(
            result.Error.Contains("error: You must be logged in to the server", StringComparison.Ordinal),
            result.ToString());
        Assert.All(harness.Emulator.Requests, r => Assert.Equal(401, r.Status));
    }

    private async Task<KubernetesEmulatorHarness> StartAsync()
    {
        var harness = await KubernetesEmulatorHarness.StartAsync(fixture.Authority);
        harness.State.AddNamespace("team-a");
        return harness;
    }

    private static Task<KubectlResult> RunAsync(
        KubernetesEmulatorHarness harness, string? standardInput, params string[] arguments) =>
        Kubectl.RunAsync(
            harness.WriteKubeconfig(), Path.Combine(harness.TempDirectory, "cache"), standardInput, arguments);

    private static string[] ApplyArguments(string manager) =>
        ["apply", "--server-side", "--validate=false", $"--field-manager={manager}", "-f", "-"];

    private static string Manifest(string team) =>
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: wi-sa\n  namespace: team-a\n"
        + $"  labels:\n    team: {team}\n";
}
