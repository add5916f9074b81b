using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Xunit;
using Xunit.Abstractions;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

/// <summary>The real client stack (Azure.Identity + MSAL.NET, Azure.Core) against the emulator.</summary>
public sealed class AzureEmulatorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AzCliScope = "https://management.core.windows.net/.default";

    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync() => _azure = await StartAsync();

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Fact]
    public async Task ClientSecretCredential_GetToken_PostsOnlyToTokenEndpoint()
    {
        var credential = CreateCredential(Secret);

        var token = await credential.GetTokenAsync(new TokenRequestContext([AzCliScope]), CancellationToken.None);

        Assert.Equal(Assert.Single(_azure.State.IssuedTokens).AccessToken, token.Token);
        Assert.True(token.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(55));
        var entra = _azure.Emulator.Requests
            .Where(r => !r.Path.StartsWith("/subscriptions", StringComparison.Ordinal))
            .ToList();
        foreach (var request in entra)
        {
            output.WriteLine($"{request.Method} {request.Path}{request.Query} -> {request.Status}");
            output.WriteLine("  body: " + Regex.Replace(request.Body, "client_secret=[^&]*", "client_secret=***"));
            output.WriteLine("  headers: " + string.Join(", ", request.Headers.Keys.Order(StringComparer.Ordinal)));
        }

        var post = Assert.Single(entra);
        Assert.Equal("POST", post.Method);
        Assert.Equal($"/{TenantId}/oauth2/v2.0/token", post.Path);
        Assert.Contains("grant_type=client_credentials", post.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecretCredential_WrongSecret_ThrowsWithAadstsCode()
    {
        var credential = CreateCredential("not-the-secret");

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(
            async () => await credential.GetTokenAsync(
                new TokenRequestContext([AzCliScope]), CancellationToken.None));

        output.WriteLine(error.ToString());
        Assert.Contains("AADSTS7000215", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BearerPipeline_IdentityAndCredentials_RoundTrip()
    {
        var pipeline = HttpPipelineBuilder.Build(
            new EmulatorClientOptions { Transport = new HttpClientTransport(_azure.CreateHandler()) },
            new BearerTokenAuthenticationPolicy(CreateCredential(Secret), AzCliScope));

        using var identity = await SendAsync(pipeline, RequestMethod.Get, IdentityPath());
        Assert.Equal(200, identity.Status);
        Assert.Contains(IdentityClientId, identity.Content.ToString(), StringComparison.Ordinal);

        using var created = await SendAsync(pipeline, RequestMethod.Put, CredentialPath("fic-one"), CredentialBody());
        Assert.Equal(201, created.Status);
        using var second = await SendAsync(
            pipeline,
            RequestMethod.Put,
            CredentialPath("fic-two"),
            CredentialBody(subject: "system:serviceaccount:a:b"));
        Assert.Equal(201, second.Status);

        using var list = await SendAsync(pipeline, RequestMethod.Get, IdentityPath() + "/federatedIdentityCredentials");
        Assert.Equal(200, list.Status);
        var names = JsonNode.Parse(list.Content.ToString())!["value"]!.AsArray()
            .Select(v => v!["name"]!.GetValue<string>());
        Assert.Equal(["fic-one", "fic-two"], names);
        Assert.Equal(2, _azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName).Count);

        // One token served every ARM call: the policy caches it.
        Assert.Single(_azure.State.IssuedTokens);
    }

    private async Task<Response> SendAsync(
        HttpPipeline pipeline,
        RequestMethod method,
        string path,
        string? body = null)
    {
        // The message owns the buffered response; disposing the response disposes what matters.
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(_azure.Emulator.BaseUri, path + "?api-version=2023-01-31"));
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(BinaryData.FromString(body));
        }

        await pipeline.SendAsync(message, CancellationToken.None);
        return message.Response;
    }

    private ClientSecretCredential CreateCredential(string secret) => new(
        TenantId,
        ClientId,
        secret,
        new ClientSecretCredentialOptions
        {
            AuthorityHost = _azure.Emulator.BaseUri,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(_azure.CreateHandler()),
        });
}
