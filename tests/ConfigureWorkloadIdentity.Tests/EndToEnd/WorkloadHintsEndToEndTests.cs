using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>Hints for the workloads that run as the ServiceAccount but will not get the identity.</summary>
public sealed class WorkloadHintsEndToEndTests : EndToEndTestBase
{
    private static readonly Dictionary<string, string> UseLabel = new() { ["azure.workload.identity/use"] = "true" };

    [Fact]
    public async Task Run_WorkloadsWithoutThePodLabel_WarnsForEachWithWhereToAddIt()
    {
        SeedServiceAccount("old-client-id");
        var state = World.Kubernetes.State;
        state.AddWorkload("Deployment", Scenario.Namespace, "api", Scenario.ServiceAccountName);
        state.AddWorkload("CronJob", Scenario.Namespace, "nightly", Scenario.ServiceAccountName);
        state.AddWorkload("StatefulSet", Scenario.Namespace, "labelled", Scenario.ServiceAccountName, UseLabel);
        state.AddWorkload("Deployment", Scenario.Namespace, "other-sa", "someone-else");

        using var run = await RunAsync();

        Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
        var warnings = run.Warnings.Select(w => w.Message).ToList();
        Assert.Contains(warnings, w => w.StartsWith("Deployment exampleapp-ns/api runs as exampleapp-wi-sa",
            StringComparison.Ordinal) && w.EndsWith("Add it under spec.template.metadata.labels.",
            StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("CronJob exampleapp-ns/nightly", StringComparison.Ordinal)
            && w.Contains("spec.jobTemplate.spec.template.metadata.labels", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("labelled", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("other-sa", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("api runs as", StringComparison.Ordinal)
            && w.Contains("azure.workload.identity/use: \"true\"", StringComparison.Ordinal));
        Assert.Contains("CronJob exampleapp-ns/nightly", Assert.Single(run.Summaries).Content,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ClientIdChanged_ListsRunningPodsToRestart()
    {
        SeedServiceAccount("old-client-id");
        var state = World.Kubernetes.State;
        state.AddWorkload("Pod", Scenario.Namespace, "api-7d9f-abcde", Scenario.ServiceAccountName, UseLabel);
        state.AddWorkload("Pod", Scenario.Namespace, "done-job-x1", Scenario.ServiceAccountName, UseLabel,
            phase: "Succeeded");

        using var run = await RunAsync();

        var restart = Assert.Single(run.Warnings, w => w.Message.Contains("need a restart", StringComparison.Ordinal));
        Assert.EndsWith(": api-7d9f-abcde.", restart.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Converged_DoesNotListWorkloads()
    {
        using var first = await RunAsync();
        World.Kubernetes.ClearRequests();

        using var second = await RunAsync();

        EndToEndAssert.Succeeded(second);
        Assert.DoesNotContain(World.Kubernetes.Requests,
            r => r.Path.EndsWith("/deployments", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WorkloadsForbidden_SkipsTheHintsQuietly()
    {
        SeedServiceAccount(Scenario.ClientId);
        World.Kubernetes.Deny(EmulatedWorld.KubernetesUser, "list", "deployments");

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
    }

    private void SeedServiceAccount(string clientId) =>
        World.Kubernetes.State.SeedServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName,
            annotations: new Dictionary<string, string> { ["azure.workload.identity/client-id"] = clientId });
}
