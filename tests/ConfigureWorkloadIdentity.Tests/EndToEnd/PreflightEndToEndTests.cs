using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>The read-only checks before any write, each with the failing case and the fix it names.</summary>
public sealed class PreflightEndToEndTests : EndToEndTestBase
{
    private const string WebhookName = "azure-wi-webhook-mutating-webhook-configuration";

    [Fact]
    public async Task Run_GivenIssuerWithoutTheSlash_FailsNamingBothValues()
    {
        using var run = await RunAsync(inputs =>
        {
            inputs["issuerSource"] = "issuerUrl";
            inputs["issuerUrl"] = Scenario.IssuerUrl.TrimEnd('/');
        });

        EndToEndAssert.FailedWith(run, $"('{Scenario.IssuerUrl.TrimEnd('/')}')", $"('{Scenario.IssuerUrl}')",
            "differ only in the trailing slash");
        AssertNothingWritten();
    }

    [Fact]
    public async Task Run_GivenIssuerOfAnotherCluster_Fails()
    {
        using var run = await RunAsync(inputs =>
        {
            inputs["issuerSource"] = "issuerUrl";
            inputs["issuerUrl"] = "https://eastus.oic.prod-aks.azure.com/other-tenant/other-guid/";
        });

        EndToEndAssert.FailedWith(run, "another cluster's issuer", "issuerSource");
        AssertNothingWritten();
    }

    [Fact]
    public async Task Run_GivenIssuerMatchingTheCluster_Succeeds()
    {
        using var run = await RunAsync(inputs =>
        {
            inputs["issuerSource"] = "issuerUrl";
            inputs["issuerUrl"] = Scenario.IssuerUrl;
        });

        EndToEndAssert.Succeeded(run);
        Assert.Equal(Scenario.IssuerUrl, Assert.Single(Credentials()).Issuer);
    }

    [Fact]
    public async Task Run_AddonDisabledAndNoWebhook_FailsWithTheFix()
    {
        DisableAddon();
        World.Kubernetes.State.RemoveMutatingWebhookConfiguration(WebhookName);

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "webhook is not installed", "--enable-workload-identity");
        AssertNothingWritten();
    }

    [Fact]
    public async Task Run_AddonDisabledButWebhookSelfInstalled_Succeeds()
    {
        DisableAddon();
        World.Kubernetes.State.AddMutatingWebhookConfiguration(WebhookName, "azure-workload-identity-system");

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Contains(run.Lines, l => l.Contains("webhook: installed (self-installed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_AddonEnabledAndWebhookAlsoSelfInstalled_WarnsAboutTheDoubleInstall()
    {
        World.Kubernetes.State.AddMutatingWebhookConfiguration(WebhookName, "azure-workload-identity-system");

        using var run = await RunAsync();

        Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
        Assert.Contains(run.Warnings, w => w.Message.Contains("Two installs conflict", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WebhookConfigurationForbidden_WarnsUnknownAndGoesOn()
    {
        World.Kubernetes.Deny(EmulatedWorld.KubernetesUser, "get", "mutatingwebhookconfigurations");

        using var run = await RunAsync();

        Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
        Assert.Contains(run.Warnings, w => w.Message.Contains("Could not check whether the workload identity webhook",
            StringComparison.Ordinal));
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Run_AddonEnabledButWebhookMissing_WarnsAndGoesOn()
    {
        World.Kubernetes.State.RemoveMutatingWebhookConfiguration(WebhookName);

        using var run = await RunAsync();

        Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
        Assert.Contains(run.Warnings, w => w.Message.Contains("may still be deploying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_IdentityInRegionWithoutFederatedCredentials_FailsBeforeAnyWrite()
    {
        World.Azure.State.AddIdentity(Scenario.SubscriptionId, Scenario.IdentityResourceGroup, Scenario.IdentityName,
            "malaysiasouth", Scenario.ClientId, Scenario.PrincipalId, Scenario.TenantId);

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "region 'malaysiasouth'", "supported region");
        AssertNothingWritten();
    }

    [Fact]
    public async Task Run_CredentialForTheSubjectFromAnOldIssuer_WarnsAndListsIt()
    {
        World.Azure.State.AddFederatedCredential(Scenario.SubscriptionId, Scenario.IdentityResourceGroup,
            Scenario.IdentityName, "old-cluster", "https://eastus.oic.prod-aks.azure.com/t/old-guid/",
            Scenario.Subject);

        using var run = await RunAsync();

        Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
        Assert.Contains(run.Warnings, w => w.Message.Contains("'old-cluster' (issuer https://eastus.oic.prod-aks"
            + ".azure.com/t/old-guid/)", StringComparison.Ordinal));
        Assert.Equal(2, Credentials().Count);
    }

    [Fact]
    public async Task Run_IdentityHoldsTwentyCredentials_FailsBeforeAnyWrite()
    {
        for (var i = 0; i < 20; i++)
        {
            World.Azure.State.AddFederatedCredential(Scenario.SubscriptionId, Scenario.IdentityResourceGroup,
                Scenario.IdentityName, $"fic-{i}", Scenario.IssuerUrl, $"system:serviceaccount:other:sa{i}");
        }

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "20 of 20 federated credentials", "another identity");
        AssertNothingWritten();
    }

    private void DisableAddon()
    {
        var state = World.Azure.State;
        var cluster = state.GetCluster(Scenario.SubscriptionId, Scenario.ClusterResourceGroup, Scenario.ClusterName)!;
        state.SetCluster(cluster with { WorkloadIdentityEnabled = false });
    }

    private void AssertNothingWritten()
    {
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }
}
