using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// The job's OIDC token request of a workload identity federation connection, through both request forms
/// (SYSTEM_OIDCREQUESTURI, and the one built from the job), tried 3 times on a transient failure as the in-box
/// tasks do and once on a refusal. The real binary waits 2 s between tries; OidcTokenClientTests covers more cases
/// with no wait.
/// </summary>
public sealed class OidcRetryEndToEndTests
{
    private readonly AgentHarness _harness = new(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_OidcRequestUnavailableOnce_TriedAgainAndSucceeds(bool oidcRequestUri)
    {
        await using var world = await StartAsync();
        world.AzureDevOps.InjectFault(Fault(503, times: 1));

        using var run = await _harness.RunAsync(Job(world, oidcRequestUri));

        EndToEndAssert.Succeeded(run);
        Assert.True(world.AzureDevOps.Requests.Count >= 2, "The failed request was tried again.");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_OidcRequestUnavailableEveryTime_FailsAfterThreeTries(bool oidcRequestUri)
    {
        await using var world = await StartAsync();
        world.AzureDevOps.InjectFault(Fault(503));

        using var run = await _harness.RunAsync(Job(world, oidcRequestUri));

        EndToEndAssert.FailedWith(run, "OIDC token", "The service is busy.");
        Assert.Equal(3, world.AzureDevOps.Requests.Count);
        Assert.Equal(0, world.Kubernetes.State.WriteCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_OidcRequestForbidden_NotTriedAgain(bool oidcRequestUri)
    {
        await using var world = await StartAsync();
        world.AzureDevOps.InjectFault(Fault(403));

        using var run = await _harness.RunAsync(Job(world, oidcRequestUri));

        EndToEndAssert.FailedWith(run, "OIDC token", "not authorized");
        Assert.Single(world.AzureDevOps.Requests);
    }

    private static Task<EmulatedWorld> StartAsync() =>
        EmulatedWorld.StartAsync(new WorldOptions { Connection = ConnectionKind.WorkloadIdentityFederation });

    private static AgentJob Job(EmulatedWorld world, bool oidcRequestUri)
    {
        var job = world.CreateJob();
        if (!oidcRequestUri)
        {
            job.Environment["SYSTEM_OIDCREQUESTURI"] = null;
        }

        return job;
    }

    private static FaultRule Fault(int status, int? times = null) => new()
    {
        Method = "POST",
        PathPattern = "/oidctoken$",
        Status = status,
        Body = status == 403
            ? """{"$id":"1","message":"The pipeline is not authorized to use the connection.","typeKey":"X"}"""
            : """{"$id":"1","message":"The service is busy.","typeKey":"ServiceUnavailableException"}""",
        Times = times,
    };
}
