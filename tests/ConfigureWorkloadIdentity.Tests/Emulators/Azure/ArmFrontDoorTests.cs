using System.Net;
using System.Net.Http.Headers;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using Xunit;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

public sealed class ArmFrontDoorTests : IAsyncLifetime
{
    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync() => _azure = await StartAsync();

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Fact]
    public async Task Request_NoAuthorization_Returns401WithChallenge()
    {
        using var response = await _azure.Http.GetAsync(
            new Uri(_azure.Emulator.BaseUri, IdentityPath() + "?api-version=2023-01-31"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            ("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
            await ReadArmErrorAsync(response));
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains(
            $"authorization_uri=\"{_azure.Emulator.BaseUri}", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_GarbageToken_Returns401InvalidAuthenticationToken()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(), token: "not-a-jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", (await ReadArmErrorAsync(response)).Code);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Request_TokenSignedByOtherKey_Returns401InvalidAuthenticationToken()
    {
        var real = await _azure.GetTokenAsync();
        Assert.True(JwtReader.TryParse(real, out var jwt));
        using var other = new JwtSigner();
        var forged = other.Sign(jwt.Payload.DeepClone().AsObject());

        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(), token: forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("InvalidAuthenticationToken", (await ReadArmErrorAsync(response)).Code);
    }

    [Fact]
    public async Task Request_WrongAudience_Returns401WithChallenge()
    {
        var vaultToken = await _azure.GetTokenAsync("https://vault.azure.net/.default");

        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(), token: vaultToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var (code, message) = await ReadArmErrorAsync(response);
        Assert.Equal("InvalidAuthenticationTokenAudience", code);
        Assert.StartsWith(
            "The access token has been obtained for wrong audience or resource 'https://vault.azure.net'.",
            message,
            StringComparison.Ordinal);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task Request_ExpiredToken_Returns401ExpiredAuthenticationToken()
    {
        var expired = _azure.Emulator.IssueAccessToken(
            _azure.Principal, "https://management.azure.com/", TimeSpan.FromMinutes(-10));

        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(), token: expired.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("ExpiredAuthenticationToken", (await ReadArmErrorAsync(response)).Code);
    }

    [Fact]
    public async Task Request_TokenFromOtherTenant_Returns401InvalidAuthenticationTokenTenant()
    {
        var stranger = _azure.State.AddServicePrincipal(
            "11111111-2222-4333-8444-555555555555", "c0ffee00-0000-4000-8000-000000000001", "o1", "s");
        var token = _azure.Emulator.IssueAccessToken(stranger, "https://management.azure.com/", TimeSpan.FromHours(1));

        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(), token: token.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("InvalidAuthenticationTokenTenant", (await ReadArmErrorAsync(response)).Code);
    }

    [Theory]
    [InlineData("https://management.core.windows.net//.default")]
    [InlineData("https://management.core.windows.net/.default")]
    [InlineData("https://management.azure.com//.default")]
    [InlineData("https://management.azure.com/.default")]
    public async Task Request_ArmAudience_IsAccepted(string scope)
    {
        using var response = await _azure.SendArmAsync(
            HttpMethod.Get, IdentityPath(), token: await _azure.GetTokenAsync(scope));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_NoApiVersion_Returns400MissingApiVersionParameter()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(), apiVersion: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ("MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests."),
            await ReadArmErrorAsync(response));
    }

    [Theory]
    [InlineData("2018-11-30", "'2023-01-31, 2024-11-30, 2022-01-31-preview'")]
    [InlineData("2021-09-30-preview", "'2023-01-31, 2024-11-30, 2022-01-31-preview'")]
    public async Task Request_UnknownApiVersion_Returns400WithSupportedList(string apiVersion, string supported)
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(), apiVersion: apiVersion);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await ReadArmErrorAsync(response);
        Assert.Equal("NoRegisteredProviderFound", code);
        Assert.Contains(
            $"API version '{apiVersion}' for type 'userAssignedIdentities'", message, StringComparison.Ordinal);
        Assert.Contains($"The supported api-versions are {supported}.", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2023-01-31")]
    [InlineData("2024-11-30")]
    [InlineData("2022-01-31-preview")]
    public async Task Request_ManagedIdentityApiVersion_IsAccepted(string apiVersion)
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(), apiVersion: apiVersion);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("2022-11-01")]
    [InlineData("2024-02-01")]
    [InlineData("2024-09-01")]
    [InlineData("2025-07-01")]
    public async Task Request_ContainerServiceApiVersion_IsAccepted(string apiVersion)
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, ClusterPath(), apiVersion: apiVersion);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_ClientIds_AreEchoedAndRequestIdIsNew()
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Get, new Uri(_azure.Emulator.BaseUri, IdentityPath() + "?api-version=2023-01-31"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _azure.GetTokenAsync());
        request.Headers.Add("x-ms-client-request-id", "client-1");
        request.Headers.Add("x-ms-correlation-request-id", "corr-1");

        using var response = await _azure.Http.SendAsync(request);

        Assert.True(Guid.TryParse(Header(response, "x-ms-request-id"), out _));
        Assert.Equal("client-1", Header(response, "x-ms-client-request-id"));
        Assert.Equal("corr-1", Header(response, "x-ms-correlation-request-id"));
        Assert.NotNull(Header(response, "x-ms-ratelimit-remaining-subscription-reads"));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Request_NoCorrelationId_GetsANewOne()
    {
        using var first = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath());
        using var second = await _azure.SendArmAsync(HttpMethod.Get, ClusterPath(), apiVersion: "2025-07-01");

        var ids = new[] { first, second }.Select(r => Header(r, "x-ms-correlation-request-id")).ToList();
        Assert.All(ids, id => Assert.True(Guid.TryParse(id, out _)));
        Assert.NotEqual(ids[0], ids[1]);
        Assert.NotEqual(Header(first, "x-ms-request-id"), Header(second, "x-ms-request-id"));
    }

    [Fact]
    public async Task Request_WritesAndDeletes_CarryTheirRateLimitHeaders()
    {
        using var put = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("fic-one"), CredentialBody());
        using var delete = await _azure.SendArmAsync(HttpMethod.Delete, CredentialPath("fic-one"));

        Assert.NotNull(Header(put, "x-ms-ratelimit-remaining-subscription-writes"));
        Assert.NotNull(Header(delete, "x-ms-ratelimit-remaining-subscription-deletes"));
        Assert.Equal(2, _azure.State.ArmWriteCount);
    }

    [Fact]
    public async Task Request_DeniedByObjectId_Returns403WithExactMessage()
    {
        _azure.State.Deny(
            ObjectId, "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write", "");
        var path = CredentialPath("fic-one");

        using var denied = await _azure.SendArmAsync(HttpMethod.Put, path, CredentialBody());
        using var read = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath());

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(
            ("AuthorizationFailed",
                $"The client '{ClientId}' with object id '{ObjectId}' does not have authorization to perform action "
                + "'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write' over scope "
                + $"'/{path}' or the scope is invalid. If access was recently granted, please refresh your "
                + "credentials."),
            await ReadArmErrorAsync(denied));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Empty(_azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName));
    }

    [Fact]
    public async Task Request_DeniedByClientIdOnScope_OnlyThatScopeIsDenied()
    {
        _azure.State.Deny(
            ClientId,
            "Microsoft.ContainerService/managedClusters/read",
            $"/subscriptions/{SubscriptionId}/resourcegroups/{ResourceGroup.ToUpperInvariant()}");
        _azure.State.AddCluster(SubscriptionId, "rg-other", "aks-other", "eastus", IssuerUrl, true, true);

        using var denied = await _azure.SendArmAsync(HttpMethod.Get, ClusterPath(), apiVersion: "2025-07-01");
        using var allowed = await _azure.SendArmAsync(
            HttpMethod.Get, ClusterPath().Replace(ResourceGroup, "rg-other", StringComparison.Ordinal)
                .Replace(ClusterName, "aks-other", StringComparison.Ordinal), apiVersion: "2025-07-01");

        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task AllowOnly_GrantsOnlyTheListedActionsOnTheirScopes()
    {
        var identity = "/" + IdentityPath();
        _azure.State.AllowOnly(ObjectId,
        [
            new("Microsoft.ManagedIdentity/userAssignedIdentities/read", identity),
            new("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/*",
                identity.ToUpperInvariant()),
        ]);
        var path = CredentialPath("fic-one");

        using var read = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath());
        using var write = await _azure.SendArmAsync(HttpMethod.Put, path, CredentialBody());
        using var cluster = await _azure.SendArmAsync(HttpMethod.Get, ClusterPath(), apiVersion: "2025-07-01");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cluster.StatusCode);
        Assert.Equal(
            ("AuthorizationFailed",
                $"The client '{ClientId}' with object id '{ObjectId}' does not have authorization to perform action "
                + $"'Microsoft.ContainerService/managedClusters/read' over scope '/{ClusterPath()}' or the scope is "
                + "invalid. If access was recently granted, please refresh your credentials."),
            await ReadArmErrorAsync(cluster));
    }

    [Fact]
    public async Task AllowOnly_ScopesNestBySegment()
    {
        _azure.State.AllowOnly(ClientId,
            [new("Microsoft.ManagedIdentity/userAssignedIdentities/read", "/" + IdentityPath()[..^1])]);

        using var sibling = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath());
        _azure.State.ClearAllowLists();
        using var afterClear = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath());

        Assert.Equal(HttpStatusCode.Forbidden, sibling.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterClear.StatusCode);
    }

    [Fact]
    public async Task Request_UnknownSubscription_Returns404SubscriptionNotFound()
    {
        var path = IdentityPath()
            .Replace(SubscriptionId, "9d9d9d9d-0000-4000-8000-000000000000", StringComparison.Ordinal);

        using var response = await _azure.SendArmAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("SubscriptionNotFound", (await ReadArmErrorAsync(response)).Code);
    }

    [Fact]
    public async Task Subscriptions_List_ReturnsSeededSubscription()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, "subscriptions", apiVersion: "2019-11-01");

        var subscription = Assert.Single((await ReadJsonAsync(response))["value"]!.AsArray())!;
        Assert.Equal(SubscriptionId, subscription["subscriptionId"]!.GetValue<string>());
        Assert.Equal(TenantId, subscription["tenantId"]!.GetValue<string>());
        Assert.Equal("Enabled", subscription["state"]!.GetValue<string>());
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
