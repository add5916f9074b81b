using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// The trust proven after applying it: a ServiceAccount token from the cluster's TokenRequest API exchanged
/// at the emulated Entra ID, which checks it against the identity's federated credentials.
/// </summary>
public sealed class VerificationEndToEndTests : EndToEndTestBase
{
    [Fact]
    public async Task Run_FreshScenario_VerifiesByTokenExchange()
    {
        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Contains(run.Lines, l => l.StartsWith(
            "Verified: a token for ServiceAccount exampleapp-ns/exampleapp-wi-sa was exchanged at Entra ID for "
            + "identity mi-aks-pri-exampleapp-sbx", StringComparison.Ordinal)
            && l.Contains("after 1 attempt", StringComparison.Ordinal));
        var exchange = Assert.Single(World.Azure.State.IssuedTokens, t => t.ClientId == Scenario.ClientId);
        Assert.Equal(Scenario.TenantId, exchange.TenantId);
        Assert.Single(World.Kubernetes.State.IssuedServiceAccountTokens);
        Assert.Contains("Verified:", Assert.Single(run.Summaries).Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CredentialStillPropagating_RetriesAndReportsHowLong()
    {
        World.Azure.State.PendingPropagationFailures = 2;

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Equal(2, run.Lines.Count(l => l.StartsWith("Entra ID does not know the federated credential yet",
            StringComparison.Ordinal)));
        Assert.Contains(run.Lines, l => l.StartsWith("Verified:", StringComparison.Ordinal)
            && l.Contains("after 3 attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_NeverPropagatesWithinTheTimeout_FailsNamingTheTimeout()
    {
        World.Azure.State.PendingPropagationFailures = 1000;

        using var run = await RunAsync(inputs => inputs["verifyTimeout"] = "10s");

        EndToEndAssert.FailedWith(run, "Verification failed", "AADSTS70021", "verifyTimeout",
            $"iss '{Scenario.IssuerUrl}'", $"sub '{Scenario.Subject}'", "aud 'api://AzureADTokenExchange'");
    }

    [Fact]
    public async Task Run_ClusterSignsWithAnotherIssuer_FailsShowingBothValues()
    {
        const string other = "https://eastus.oic.prod-aks.azure.com/other/issuer/";
        var (_, signer) = World.Kubernetes.State.ServiceAccountIssuer!.Value;
        World.Kubernetes.State.ServiceAccountIssuer = (other, signer);

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "Verification failed", $"iss '{other}'",
            $"trusts issuer '{Scenario.IssuerUrl}'", "Make them equal");
        Assert.DoesNotContain(World.Azure.Requests, r => r.Body.Contains($"client_id={Scenario.ClientId}&",
            StringComparison.Ordinal));
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Run_IssuerPublishesAnotherKey_FailsWithEntrasSignatureErrorAndTheFix()
    {
        using var rotated = new JwtSigner("CN=Another Cluster's Issuer Key");
        World.Kubernetes.State.PublishedIssuerKey = rotated;

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "Verification failed after 1 attempt",
            "AADSTS700027: Client assertion failed signature validation.",
            "does not verify with the keys the issuer publishes (its JWKS)", "az aks update");
        Assert.Contains(World.Kubernetes.Requests, r => r.Path == IssuerPath("openid/v1/jwks"));
    }

    [Fact]
    public async Task Run_IssuerDiscoveryUnreachable_FailsWithAadsts50166AndTheFix()
    {
        World.Kubernetes.InjectFault(new FaultRule
        {
            Method = "GET",
            PathPattern = "/\\.well-known/openid-configuration$",
            Status = 404,
            Body = "<Error><Code>BlobNotFound</Code></Error>",
        });

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "Verification failed after 1 attempt",
            $"AADSTS50166: Request to External OIDC endpoint failed. Issuer: '{Scenario.IssuerUrl}'.",
            "could not fetch the cluster issuer's discovery document or JWKS");
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Run_Fresh_EntraFetchesTheIssuersDiscoveryDocumentAndKeys()
    {
        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        var fetched = World.Kubernetes.Requests.Where(r => r.Path.StartsWith(IssuerPath(""), StringComparison.Ordinal))
            .Select(r => (r.Path, r.Status)).ToList();
        Assert.Equal([(IssuerPath(".well-known/openid-configuration"), 200), (IssuerPath("openid/v1/jwks"), 200)],
            fetched);
    }

    [Fact]
    public async Task Run_VerifyOff_MakesNoExchange()
    {
        using var run = await RunAsync(inputs => inputs["verify"] = "false");

        EndToEndAssert.Succeeded(run);
        Assert.Empty(World.Kubernetes.State.IssuedServiceAccountTokens);
        Assert.DoesNotContain(run.Lines, l => l.StartsWith("Verified:", StringComparison.Ordinal));
    }

    private string IssuerPath(string document) => new Uri(Scenario.IssuerUrl).AbsolutePath + document;

    [Fact]
    public async Task Run_WhatIf_DoesNotVerify()
    {
        using var run = await RunAsync(inputs => inputs["whatIf"] = "true");

        Assert.Equal(TaskResult.Succeeded, run.Result);
        Assert.Empty(World.Kubernetes.State.IssuedServiceAccountTokens);
    }
}
