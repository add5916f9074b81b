using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using Xunit;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

public sealed class EntraTokenEndpointTests : IAsyncLifetime
{
    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync() => _azure = await StartAsync();

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Fact]
    public async Task Token_ValidSecret_ReturnsSignedJwtWithClaims()
    {
        using var response = await _azure.PostTokenAsync(Form(scope: "https://management.azure.com/.default"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = await ReadJsonAsync(response);
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(3599, body["expires_in"]!.GetValue<int>());
        Assert.Equal(3599, body["ext_expires_in"]!.GetValue<int>());
        var token = body["access_token"]!.GetValue<string>();
        Assert.True(JwtReader.TryParse(token, out var jwt));
        Assert.Equal("RS256", jwt.Algorithm);
        Assert.Equal(_azure.Emulator.TokenSigner.KeyId, jwt.KeyId);
        Assert.True(jwt.VerifySignature(_azure.Emulator.TokenSigner.PublicKey));
        Assert.Equal("https://management.azure.com", jwt.GetString("aud"));
        Assert.Equal($"https://sts.windows.net/{TenantId}/", jwt.GetString("iss"));
        Assert.Equal(TenantId, jwt.GetString("tid"));
        Assert.Equal(ObjectId, jwt.GetString("oid"));
        Assert.Equal(ClientId, jwt.GetString("appid"));
        Assert.Equal(ClientId, jwt.GetString("azp"));
        var now = DateTimeOffset.UtcNow;
        Assert.InRange(jwt.GetTime("iat")!.Value, now.AddMinutes(-1), now.AddMinutes(1));
        Assert.True(jwt.GetTime("nbf") <= now);
        Assert.InRange(jwt.GetTime("exp")!.Value, now.AddMinutes(59), now.AddMinutes(61));
        var issued = Assert.Single(_azure.State.IssuedTokens);
        Assert.Equal(token, issued.AccessToken);
        Assert.Equal("https://management.azure.com", issued.Audience);
    }

    [Fact]
    public async Task Token_DoubleSlashScope_AudienceKeepsTrailingSlash()
    {
        using var response = await _azure.PostTokenAsync(Form(scope: "https://management.core.windows.net//.default"));

        var token = (await ReadJsonAsync(response))["access_token"]!.GetValue<string>();
        Assert.True(JwtReader.TryParse(token, out var jwt));
        Assert.Equal("https://management.core.windows.net/", jwt.GetString("aud"));
    }

    [Fact]
    public async Task Token_BasicAuthorization_Succeeds()
    {
        var uri = new Uri(_azure.Emulator.BaseUri, $"{TenantId}/oauth2/v2.0/token");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new FormUrlEncodedContent(
                [new("grant_type", "client_credentials"), new("scope", ArmScope)]),
        };
        var basic = $"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(Secret)}";
        request.Headers.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));

        using var response = await _azure.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_TenantDomainName_Succeeds()
    {
        _azure.State.AddTenant(TenantId, "contoso.onmicrosoft.com");

        using var response = await _azure.PostTokenAsync(Form(), tenant: "contoso.onmicrosoft.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("7a1b9c3e-0000-4000-8000-000000000bad", "unknown", null, "bad", 400, "invalid_request", 90002)]
    [InlineData(TenantId, "unknown-client", null, "bad", 400, "unauthorized_client", 700016)]
    [InlineData(TenantId, ClientId, null, "bad", 401, "invalid_client", 7000218)]
    [InlineData(TenantId, ClientId, "wrong", "bad", 401, "invalid_client", 7000215)]
    [InlineData(TenantId, ClientId, Secret, "https://management.azure.com/user_impersonation", 400, "invalid_scope",
        70011)]
    [InlineData(TenantId, ClientId, Secret, "https://management.azure.com/.default openid", 400, "invalid_scope",
        70011)]
    [InlineData(TenantId, ClientId, Secret, "/.default", 400, "invalid_scope", 70011)]
    public async Task Token_InvalidRequest_ReturnsFirstFailingCheck(
        string tenant,
        string clientId,
        string? secret,
        string scope,
        int status,
        string error,
        int code)
    {
        using var response = await _azure.PostTokenAsync(Form(clientId, secret, scope), tenant);

        Assert.Equal(status, (int)response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal(error, body["error"]!.GetValue<string>());
        Assert.Equal(code, Assert.Single(body["error_codes"]!.AsArray())!.GetValue<int>());
        Assert.StartsWith($"AADSTS{code}: ", body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_azure.State.IssuedTokens);
    }

    [Fact]
    public async Task Token_WrongSecret_ErrorHasRealShape()
    {
        var uri = new Uri(_azure.Emulator.BaseUri, $"{TenantId}/oauth2/v2.0/token");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new FormUrlEncodedContent(Form(secret: "wrong")),
        };
        request.Headers.Add("client-request-id", "5b6e2a7c-1111-4222-8333-944455556666");

        using var response = await _azure.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = (JsonObject)await ReadJsonAsync(response);
        var description = body["error_description"]!.GetValue<string>();
        Assert.StartsWith(
            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client "
            + $"secret value, not the client secret ID, for a secret added to app '{ClientId}'.\r\nTrace ID: ",
            description,
            StringComparison.Ordinal);
        Assert.Contains(
            "\r\nCorrelation ID: 5b6e2a7c-1111-4222-8333-944455556666\r\nTimestamp: ",
            description,
            StringComparison.Ordinal);
        Assert.Equal("5b6e2a7c-1111-4222-8333-944455556666", body["correlation_id"]!.GetValue<string>());
        Assert.True(Guid.TryParse(body["trace_id"]!.GetValue<string>(), out _));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$", body["timestamp"]!.GetValue<string>());
        Assert.Equal("https://login.microsoftonline.com/error?code=7000215", body["error_uri"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenIdConfiguration_KnownTenant_PointsBackAtEmulator()
    {
        var uri = new Uri(_azure.Emulator.BaseUri, $"{TenantId}/v2.0/.well-known/openid-configuration");

        using var response = await _azure.Http.GetAsync(uri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        var root = _azure.Emulator.BaseUri.AbsoluteUri + TenantId;
        Assert.Equal($"{root}/oauth2/v2.0/token", body["token_endpoint"]!.GetValue<string>());
        Assert.Equal($"{root}/discovery/v2.0/keys", body["jwks_uri"]!.GetValue<string>());
        Assert.Equal($"{root}/v2.0", body["issuer"]!.GetValue<string>());
        Assert.Equal($"{root}/oauth2/v2.0/authorize", body["authorization_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenIdConfiguration_UnknownTenant_ReturnsAadsts90002()
    {
        var uri = new Uri(_azure.Emulator.BaseUri, "nobody.example/v2.0/.well-known/openid-configuration");

        using var response = await _azure.Http.GetAsync(uri);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.StartsWith("AADSTS90002: Tenant 'nobody.example' not found.",
            body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_KnownTenant_PublishesTheSigningKey()
    {
        using var response = await _azure.Http.GetAsync(
            new Uri(_azure.Emulator.BaseUri, $"{TenantId}/discovery/v2.0/keys"));

        var key = Assert.Single((await ReadJsonAsync(response))["keys"]!.AsArray())!;
        Assert.Equal("RSA", key["kty"]!.GetValue<string>());
        Assert.Equal(_azure.Emulator.TokenSigner.KeyId, key["kid"]!.GetValue<string>());
        Assert.NotEmpty(key["n"]!.GetValue<string>());
        Assert.Single(key["x5c"]!.AsArray());
    }

    private static KeyValuePair<string, string>[] Form(
        string clientId = ClientId,
        string? secret = Secret,
        string scope = ArmScope)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "client_credentials"),
            new("client_id", clientId),
            new("scope", scope),
        };
        if (secret is not null)
        {
            form.Add(new("client_secret", secret));
        }

        return [.. form];
    }
}
