using System.Diagnostics;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// Faults injected into every kind of remote call: each run either succeeds within bounded retries or fails
/// clearly, and a run afterwards converges with no duplicate credential.
/// </summary>
public sealed class ReliabilityEndToEndTests : EndToEndTestBase
{
    private const string IdentityPath = "/userAssignedIdentities/[^/]+$";
    private const string CredentialPutPath = "/federatedIdentityCredentials/[^/]+$";

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Run_ResourceManagerTransientStatus_RetriedAndSucceeds(int status)
    {
        World.Azure.InjectFault(new FaultRule
        {
            Method = "GET",
            PathPattern = IdentityPath,
            Status = status,
            Body = """{"error":{"code":"ServerBusy","message":"Try again."}}""",
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
            Times = 2,
        });

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Equal(3, World.Azure.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith(
            Scenario.IdentityName, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_ResourceManagerPersistent500_FailsClearlyThenARerunConverges()
    {
        var fault = new FaultRule
        {
            Method = "PUT",
            PathPattern = CredentialPutPath,
            Status = 500,
            Body = """{"error":{"code":"InternalServerError","message":"Something went wrong."}}""",
        };
        World.Azure.InjectFault(fault);

        using var failed = await RunAsync();

        EndToEndAssert.FailedWith(failed, "answered 500 InternalServerError", "x-ms-request-id");
        Assert.Equal(0, World.Kubernetes.State.WriteCount);

        World.Azure.ClearFaults();
        using var rerun = await RunAsync();

        EndToEndAssert.Succeeded(rerun);
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Run_ConnectionResetBeforeAnswer_RetriedAndSucceeds()
    {
        World.Azure.InjectFault(new FaultRule
        {
            Method = "GET",
            PathPattern = "/federatedIdentityCredentials$",
            Kind = FaultKind.Reset,
            Times = 1,
        });

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
    }

    [Fact]
    public async Task Run_ResetAfterTheCredentialWasWritten_RetryFindsItAndNoDuplicate()
    {
        World.Azure.InjectFault(new FaultRule
        {
            Method = "PUT",
            PathPattern = CredentialPutPath,
            Kind = FaultKind.ResetAfterServing,
            Times = 1,
        });

        using var run = await RunAsync();
        using var rerun = await RunAsync();

        Assert.True(run.Result is TaskResult.Succeeded or TaskResult.Failed);
        EndToEndAssert.Succeeded(rerun);
        var credential = Assert.Single(Credentials());
        Assert.Equal(Scenario.Subject, credential.Subject);
    }

    [Fact]
    public async Task Run_TokenEndpointFailsOnce_RetriedAndSucceeds()
    {
        World.Azure.InjectFault(new FaultRule
        {
            Method = "POST",
            PathPattern = "/oauth2/v2.0/token$",
            Status = 503,
            Body = """{"error":"temporarily_unavailable","error_description":"AADSTS50196: busy"}""",
            Times = 1,
        });

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Run_KubernetesTransientStatus_RetriedAndSucceeds(int status)
    {
        World.Kubernetes.InjectFault(new FaultRule
        {
            Method = "GET",
            PathPattern = "/serviceaccounts/",
            Status = status,
            Body = $$"""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","code":{{status}}}""",
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
            Times = 1,
        });

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        Assert.NotNull(World.Kubernetes.State.GetServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName));
    }

    [Fact]
    public async Task Run_TwoProcessesOnOneIdentityAtOnce_BothSucceedWithOneCredentialEach()
    {
        World.Azure.State.FederatedCredentialWriteDuration = TimeSpan.FromMilliseconds(400);
        var first = Harness.RunAsync(World.CreateJob(inputs =>
        {
            inputs["serviceAccountName"] = "workload-a";
            inputs["federatedCredentialName"] = "";
        }));
        var second = Harness.RunAsync(World.CreateJob(inputs =>
        {
            inputs["serviceAccountName"] = "workload-b";
            inputs["federatedCredentialName"] = "";
        }));

        using var a = await first;
        using var b = await second;

        EndToEndAssert.Succeeded(a);
        EndToEndAssert.Succeeded(b);
        var subjects = Credentials().Select(c => c.Subject).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["system:serviceaccount:exampleapp-ns:workload-a", "system:serviceaccount:exampleapp-ns:workload-b"],
            subjects);
    }

    [Fact]
    public async Task Run_CancelledWhileWaitingOnAzure_StopsPromptlyAsCanceled()
    {
        World.Azure.InjectFault(new FaultRule
        {
            Method = "GET",
            PathPattern = "/federatedIdentityCredentials$",
            Kind = FaultKind.Latency,
            Delay = TimeSpan.FromSeconds(30),
        });
        using var cancel = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var running = Harness.RunAsync(World.CreateJob(), cancel.Token);
        while (!World.Azure.Requests.Any(r => r.Path.EndsWith("/federatedIdentityCredentials",
            StringComparison.Ordinal)) && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        await Task.Delay(200);
        cancel.Cancel();
        using var run = await running;

        Assert.Equal(TaskResult.Canceled, run.Result);
        Assert.Contains(run.Lines, l => l == "##vso[task.complete result=Canceled;]Cancelled.");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), $"took {watch.Elapsed}");
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
    }
}
