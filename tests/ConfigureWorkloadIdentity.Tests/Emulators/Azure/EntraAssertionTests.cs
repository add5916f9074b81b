using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

/// <summary>Client assertion grants: the app's certificate, and federated tokens from trusted issuers.</summary>
public sealed class EntraAssertionTests : IAsyncLifetime, IDisposable
{
    private const string ExternalIssuer = "https://vstoken.dev.azure.com/0c5d3e1f-0000-4000-8000-000000000001";
    private const string PipelineSubject = "sc://contoso/ConfigureWorkloadIdentity/sc-pri-exampleapp-sbx";

    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly JwtSigner _issuer = new("CN=External Issuer");
    private AzureEmulatorHarness _azure = null!;

    public EntraAssertionTests()
    {
        var request = new CertificateRequest("CN=app", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public async Task InitializeAsync()
    {
        _azure = await StartAsync();
        _azure.State.AddServicePrincipal(_azure.Principal with
        {
            Certificates = [X509CertificateLoader.LoadCertificate(_certificate.RawData)],
            FederatedCredentials =
                [new FederatedCredential("ado", ExternalIssuer, PipelineSubject, [AzureState.TokenExchangeAudience])],
        });
        _azure.State.TrustIssuer(ExternalIssuer, _issuer);
    }

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
        _issuer.Dispose();
    }

    [Theory]
    [InlineData("RS256", "x5t")]
    [InlineData("PS256", "x5t#S256")]
    public async Task Token_CertificateAssertion_BothMsalForms_Issue(string algorithm, string thumbprintHeader)
    {
        using var response = await PostAssertionAsync(ClientId, CertificateAssertion(algorithm, thumbprintHeader));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ClientId, Assert.Single(_azure.State.IssuedTokens).ClientId);
    }

    [Fact]
    public async Task Token_CertificateAssertionFromAnotherKey_Aadsts700027()
    {
        using var other = RSA.Create(2048);

        using var response = await PostAssertionAsync(ClientId, CertificateAssertion("PS256", "x5t#S256", other));

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "AADSTS700027: ");
    }

    [Fact]
    public async Task Token_ExpiredCertificateAssertion_Aadsts700024()
    {
        var assertion = CertificateAssertion("PS256", "x5t#S256", expires: DateTimeOffset.UtcNow.AddMinutes(-10));

        using var response = await PostAssertionAsync(ClientId, assertion);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest,
            "AADSTS700024: Client assertion is not within its valid time range.");
    }

    [Fact]
    public async Task Token_FederatedAssertionMatchingCredential_Issues()
    {
        using var response = await PostAssertionAsync(ClientId, External(PipelineSubject));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_FederatedAssertionPastItsLifetime_Aadsts700024()
    {
        var assertion = External(PipelineSubject);
        _azure.Emulator.Clock.Advance(TimeSpan.FromMinutes(16));

        using var response = await PostAssertionAsync(ClientId, assertion);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "AADSTS700024: ");
    }

    [Theory]
    [InlineData(ExternalIssuer + "/", PipelineSubject, "AADSTS70021: No matching federated identity record")]
    [InlineData(ExternalIssuer, "sc://contoso/OtherProject/sc-pri-exampleapp-sbx", "AADSTS700213: ")]
    public async Task Token_FederatedAssertionNotMatching_RealError(string issuer, string subject, string error)
    {
        using var response = await PostAssertionAsync(ClientId, External(subject, issuer));

        var description = await AssertErrorAsync(response, HttpStatusCode.BadRequest, error);
        Assert.Contains(subject, description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_FederatedAssertionForUserAssignedIdentity_UsesItsCredentials()
    {
        _azure.State.AddFederatedCredential(
            SubscriptionId, ResourceGroup, IdentityName, "workload", ExternalIssuer, Subject);

        using var response = await PostAssertionAsync(IdentityClientId, External(Subject));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = Assert.Single(_azure.State.IssuedTokens);
        Assert.Equal(IdentityPrincipalId, token.ObjectId);
    }

    [Fact]
    public async Task Token_FederatedAssertionForUserAssignedIdentityWithoutCredential_Aadsts70021()
    {
        using var response = await PostAssertionAsync(IdentityClientId, External(Subject));

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "AADSTS70021: ");
    }

    private static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status,
        string prefix)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(status, response.StatusCode);
        var description = body["error_description"]!.GetValue<string>();
        Assert.StartsWith(prefix, description, StringComparison.Ordinal);
        return description;
    }

    private static string Encode(JsonObject value) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value.ToJsonString()));

    private Task<HttpResponseMessage> PostAssertionAsync(string clientId, string assertion) =>
        _azure.PostTokenAsync(
        [
            new("grant_type", "client_credentials"),
            new("client_id", clientId),
            new("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            new("client_assertion", assertion),
            new("scope", ArmScope),
        ]);

    private string CertificateAssertion(
        string algorithm,
        string thumbprintHeader,
        RSA? signWith = null,
        DateTimeOffset? expires = null)
    {
        var hash = thumbprintHeader == "x5t" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var header = new JsonObject
        {
            ["alg"] = algorithm,
            ["typ"] = "JWT",
            [thumbprintHeader] = Base64Url.EncodeToString(_certificate.GetCertHash(hash)),
        };
        var now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["aud"] = $"{_azure.Emulator.BaseUri.AbsoluteUri}{TenantId}/oauth2/v2.0/token",
            ["iss"] = ClientId,
            ["sub"] = ClientId,
            ["jti"] = Guid.NewGuid().ToString(),
            // MSAL.NET sends these as strings.
            ["nbf"] = (expires ?? now).AddMinutes(-10).ToUnixTimeSeconds().ToString(
                System.Globalization.CultureInfo.InvariantCulture),
            ["exp"] = (expires ?? now.AddMinutes(10)).ToUnixTimeSeconds().ToString(
                System.Globalization.CultureInfo.InvariantCulture),
        };
        var input = Encode(header) + "." + Encode(payload);
        var padding = algorithm == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        var signature = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, padding);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    private string External(string subject, string issuer = ExternalIssuer)
    {
        var now = _azure.Emulator.Clock.UtcNow;
        return _issuer.Sign(new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = subject,
            ["aud"] = AzureState.TokenExchangeAudience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
        });
    }
}
