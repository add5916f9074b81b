using System.Net;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Azure;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

public sealed class ManagedIdentityEndpointTests : IAsyncLifetime
{
    private const string MachineClientId = "7d3c9b1e-2a4f-4e6d-8c0b-5f1a3e7d9c20";
    private const string Resource = "https://management.core.windows.net/";

    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync()
    {
        _azure = await StartAsync();
        _azure.State.AddMachineIdentity(
            new ServicePrincipal(TenantId, MachineClientId, ObjectId, null), systemAssigned: true);
    }

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Fact]
    public async Task AppService_WithHeader_IssuesForTheSystemAssignedIdentity()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{_azure.Emulator.ManagedIdentityUri}?api-version=2019-08-01&resource={Uri.EscapeDataString(Resource)}");
        request.Headers.Add("X-IDENTITY-HEADER", _azure.Emulator.ManagedIdentityHeader);

        using var response = await _azure.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(MachineClientId, body["client_id"]!.GetValue<string>());
        Assert.True(long.TryParse(body["expires_on"]!.GetValue<string>(), out _));
        Assert.Equal(Resource, Assert.Single(_azure.State.IssuedTokens).Audience);
    }

    [Fact]
    public async Task AppService_WithoutHeader_Refused()
    {
        using var response = await _azure.Http.GetAsync(
            $"{_azure.Emulator.ManagedIdentityUri}?api-version=2019-08-01&resource={Uri.EscapeDataString(Resource)}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_azure.State.IssuedTokens);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData("00000000-0000-4000-8000-000000000000", HttpStatusCode.BadRequest)]
    public async Task Imds_ByClientId_IssuesOnlyForTheMachinesIdentities(string? clientId, HttpStatusCode expected)
    {
        var query = $"api-version=2018-02-01&resource={Uri.EscapeDataString(Resource)}"
            + (clientId is null ? "" : "&client_id=" + clientId);
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(_azure.Emulator.BaseUri, "metadata/identity/oauth2/token?" + query));
        request.Headers.Add("Metadata", "true");

        using var response = await _azure.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
    }
}
