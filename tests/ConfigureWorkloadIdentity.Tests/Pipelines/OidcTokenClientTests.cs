using Azure.Identity;
using ConfigureWorkloadIdentity.Emulators.AzureDevOps;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Pipelines;
using ConfigureWorkloadIdentity.Tests.Emulators.Azure;

namespace ConfigureWorkloadIdentity.Tests.Pipelines;

/// <summary>
/// The job's OIDC token request against the Azure DevOps emulator with injected faults: transient failures are
/// tried again (3 tries in all), refusals are not. The delay between tries is zero here; a real run waits 2 s.
/// </summary>
public sealed class OidcTokenClientTests : IAsyncLifetime
{
    private const string JobToken = "job-access-token";
    private const string ProjectId = "6f7e1a52-3c1d-4b8e-9f0a-2d4c6b8e0f13";
    private static readonly Guid ConnectionId = new("5f0d5a5e-8c1c-4c3b-9b7e-2f1f3c2a9d10");

    private readonly List<string> _registered = [];
    private AzureDevOpsEmulator _devops = null!;
    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync()
    {
        _azure = await AzureEmulatorHarness.StartAsync();
        _devops = new AzureDevOpsEmulator(new EmulatorClock());
        _devops.AddJobToken(JobToken);
        _devops.AddProject(ProjectId, "Spoke");
        _devops.AddServiceConnection(ConnectionId, "sc-spoke");
        await _devops.StartAsync(_azure.Ca);
    }

    public async Task DisposeAsync()
    {
        await _devops.DisposeAsync();
        await _azure.DisposeAsync();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task GetToken_TransientStatusTwice_TriesThreeTimesAndGetsTheToken(int status)
    {
        _devops.InjectFault(Fault(status, times: 2));

        var token = await Client().GetTokenAsync(CancellationToken.None);

        Assert.Equal(_devops.IssuedTokens.Single().Token, token);
        Assert.Equal([token], _registered);
        Assert.Equal(3, _devops.Requests.Count);
    }

    [Fact]
    public async Task GetToken_ConnectionReset_TriedAgain()
    {
        _devops.InjectFault(new FaultRule { PathPattern = "/oidctoken$", Kind = FaultKind.Reset, Times = 1 });

        var token = await Client().GetTokenAsync(CancellationToken.None);

        Assert.Equal(_devops.IssuedTokens.Single().Token, token);
    }

    [Fact]
    public async Task GetToken_TransientEveryTime_FailsAfterThreeTriesWithTheAnswer()
    {
        _devops.InjectFault(Fault(503));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => Client().GetTokenAsync(CancellationToken.None));

        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 3 tries", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _devops.Requests.Count);
        Assert.Empty(_registered);
    }

    [Fact]
    public async Task GetToken_Unauthorized_NotTriedAgain()
    {
        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => Client("not-the-job-token").GetTokenAsync(CancellationToken.None));

        Assert.Contains("HTTP 401", error.Message, StringComparison.Ordinal);
        Assert.Contains("TF400813", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tries", error.Message, StringComparison.Ordinal);
        Assert.Single(_devops.Requests);
    }

    [Fact]
    public async Task GetToken_Forbidden_NotTriedAgain()
    {
        _devops.InjectFault(Fault(403));

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            () => Client().GetTokenAsync(CancellationToken.None));

        Assert.Contains("HTTP 403", error.Message, StringComparison.Ordinal);
        Assert.Single(_devops.Requests);
    }

    private static FaultRule Fault(int status, int? times = null) => new()
    {
        Method = "POST",
        PathPattern = "/oidctoken$",
        Status = status,
        Body = """{"$id":"1","message":"Service unavailable.","typeKey":"ServiceUnavailableException"}""",
        Times = times,
    };

    private OidcTokenClient Client(string accessToken = JobToken)
    {
        var uri = new Uri(
            _devops.CollectionUri, $"{ProjectId}/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken");
        return new OidcTokenClient(uri, ConnectionId.ToString(), accessToken, _registered.Add, TimeSpan.Zero,
            _azure.Http);
    }
}
