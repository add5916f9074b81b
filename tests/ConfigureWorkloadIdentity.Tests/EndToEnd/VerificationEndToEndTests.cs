using ConfigureWorkloadIdentity.Emulators.Agent;

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
        World.Azure.State.TrustIssuer(other, signer);

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "Verification failed", $"iss '{other}'",
            $"trusts issuer '{Scenario.IssuerUrl}'", "Make them equal");
        Assert.DoesNotContain(World.Azure.Requests, r => r.Body.Contains($"client_id={Scenario.ClientId}&",
            StringComparison.Ordinal));
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Run_VerifyOff_MakesNoExchange()
    {
        using var run = await RunAsync(inputs => inputs["verify"] = "false");

        EndToEndAssert.Succeeded(run);
        Assert.Empty(World.Kubernetes.State.IssuedServiceAccountTokens);
        Assert.DoesNotContain(run.Lines, l => l.StartsWith("Verified:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WhatIf_DoesNotVerify()
    {
        using var run = await RunAsync(inputs => inputs["whatIf"] = "true");

        Assert.Equal(TaskResult.Succeeded, run.Result);
        Assert.Empty(World.Kubernetes.State.IssuedServiceAccountTokens);
    }
}
