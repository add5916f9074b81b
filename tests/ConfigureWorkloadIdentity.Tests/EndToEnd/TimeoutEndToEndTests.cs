using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// A remote call that never answers: the attempt is abandoned after the per-attempt timeout (2 s here, through the
/// CWI_REQUEST_TIMEOUT pipeline variable) and retried; when every attempt hangs the run fails clearly well inside
/// the step's timeout, and a run afterwards converges.
/// </summary>
public sealed class TimeoutEndToEndTests : EndToEndTestBase
{
    [Fact]
    public async Task Run_ResourceManagerHangsOnce_RetriedAndSucceeds()
    {
        World.Azure.InjectFault(Hang("GET", "/userAssignedIdentities/[^/]+$", times: 1));

        using var run = await RunWithShortTimeoutAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Run_ResourceManagerNeverAnswers_FailsClearlyInBoundedTimeThenARerunConverges()
    {
        World.Azure.InjectFault(Hang("PUT", "/federatedIdentityCredentials/[^/]+$"));

        using var failed = await RunWithShortTimeoutAsync();

        Assert.False(failed.TimedOut, "the task, not the agent's step timeout, must end the run");
        EndToEndAssert.FailedWith(failed, "did not answer PUT", "/federatedIdentityCredentials/",
            "within 2 s, 4 times", "CWI_REQUEST_TIMEOUT");
        Assert.Equal(0, World.Kubernetes.State.WriteCount);

        World.Azure.ClearFaults();
        using var rerun = await RunWithShortTimeoutAsync();

        EndToEndAssert.Succeeded(rerun);
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Run_KubernetesHangsOnce_RetriedAndSucceeds()
    {
        World.Kubernetes.InjectFault(Hang("PATCH", "/serviceaccounts/", times: 1));

        using var run = await RunWithShortTimeoutAsync();

        EndToEndAssert.Succeeded(run);
        Assert.NotNull(World.Kubernetes.State.GetServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName));
    }

    [Fact]
    public async Task Run_KubernetesNeverAnswers_FailsClearlyInBoundedTimeThenARerunConverges()
    {
        World.Kubernetes.InjectFault(Hang("PATCH", "/serviceaccounts/"));

        using var failed = await RunWithShortTimeoutAsync();

        Assert.False(failed.TimedOut, "the task, not the agent's step timeout, must end the run");
        EndToEndAssert.FailedWith(failed, "did not answer within 2 s", "CWI_REQUEST_TIMEOUT");
        Assert.Null(World.Kubernetes.State.GetServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName));

        World.Kubernetes.ClearFaults();
        using var rerun = await RunWithShortTimeoutAsync();

        EndToEndAssert.Succeeded(rerun);
        Assert.Single(Credentials());
        Assert.NotNull(World.Kubernetes.State.GetServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName));
    }

    private static FaultRule Hang(string method, string path, int? times = null) =>
        new() { Method = method, PathPattern = path, Kind = FaultKind.Hang, Times = times };

    private Task<TaskRun> RunWithShortTimeoutAsync()
    {
        var job = World.CreateJob();
        job.Environment["CWI_REQUEST_TIMEOUT"] = "2";
        return Harness.RunAsync(job);
    }
}
