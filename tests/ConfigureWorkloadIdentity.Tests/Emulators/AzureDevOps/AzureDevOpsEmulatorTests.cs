using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.AzureDevOps;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Tests.Emulators.Azure;

namespace ConfigureWorkloadIdentity.Tests.Emulators.AzureDevOps;

public sealed class AzureDevOpsEmulatorTests : IAsyncLifetime
{
    private const string JobToken = "job-access-token";
    private static readonly Guid ConnectionId = new("5f0d5a5e-8c1c-4c3b-9b7e-2f1f3c2a9d10");

    private readonly EmulatorClock _clock = new();
    private AzureDevOpsEmulator _devops = null!;
    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync()
    {
        _azure = await AzureEmulatorHarness.StartAsync();
        _devops = new AzureDevOpsEmulator(_clock);
        _devops.AddJobToken(JobToken);
        _devops.AddProject("6f7e1a52-3c1d-4b8e-9f0a-2d4c6b8e0f13", "Spoke");
        _devops.AddServiceConnection(ConnectionId, "sc-spoke");
        await _devops.StartAsync(_azure.Ca);
    }

    public async Task DisposeAsync()
    {
        await _devops.DisposeAsync();
        await _azure.DisposeAsync();
    }

    [Fact]
    public async Task OidcToken_JobToken_IssuesTenMinuteTokenForTheConnection()
    {
        using var response = await PostAsync(JobToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["oidcToken"]!.GetValue<string>();
        Assert.True(JwtReader.TryParse(token, out var jwt));
        Assert.True(jwt.VerifySignature(_devops.Signer.PublicKey));
        Assert.Equal(_devops.Issuer, jwt.GetString("iss"));
        Assert.Equal("sc://contoso/Spoke/sc-spoke", jwt.GetString("sub"));
        Assert.Equal("api://AzureADTokenExchange", jwt.GetString("aud"));
        Assert.Equal(TimeSpan.FromMinutes(10), jwt.GetTime("exp") - jwt.GetTime("iat"));
    }

    [Fact]
    public async Task OidcToken_OtherToken_Unauthorized()
    {
        using var response = await PostAsync("not-the-job-token");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_devops.IssuedTokens);
    }

    private async Task<HttpResponseMessage> PostAsync(string accessToken)
    {
        var uri = new Uri(_devops.CollectionUri, "6f7e1a52-3c1d-4b8e-9f0a-2d4c6b8e0f13/_apis/distributedtask/hubs/build"
            + $"/plans/p/jobs/j/oidctoken?api-version=7.1&serviceConnectionId={ConnectionId}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await _azure.Http.SendAsync(request);
    }
}
