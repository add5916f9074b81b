using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Kubernetes;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// After the token exchange, a server-side dry-run pod of the ServiceAccount shows whether the workload identity
/// webhook injects the identity, without creating anything.
/// </summary>
public sealed class WebhookDryRunEndToEndTests : EndToEndTestBase
{
    private const string TokenFile = "/var/run/secrets/azure/tokens/azure-identity-token";

    [Fact]
    public async Task Run_WebhookInstalled_ReportsWhatItInjects()
    {
        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        var line = $"Webhook: injects AZURE_CLIENT_ID={Scenario.ClientId} and AZURE_FEDERATED_TOKEN_FILE={TokenFile} "
            + "(and the projected token) into pods of ServiceAccount "
            + $"{Scenario.Namespace}/{Scenario.ServiceAccountName} labelled azure.workload.identity/use: \"true\" "
            + "(server-side dry run; nothing was created).";
        Assert.Contains(line, run.Lines);
        Assert.Contains(line, Assert.Single(run.Summaries).Content, StringComparison.Ordinal);
        var dryRun = Assert.Single(World.Kubernetes.Requests, r => r.Method == "POST" && r.Path.EndsWith("/pods",
            StringComparison.Ordinal));
        Assert.Equal($"/api/v1/namespaces/{Scenario.Namespace}/pods", dryRun.Path);
        Assert.Contains("dryRun=All", dryRun.Query, StringComparison.Ordinal);
        Assert.Equal(201, dryRun.Status);
    }

    [Fact]
    public async Task Run_WebhookUnreadableAndNotInstalled_WarnsWhatIsMissingAndWhy()
    {
        World.Kubernetes.Deny(EmulatedWorld.KubernetesUser, "get", "mutatingwebhookconfigurations");
        World.Kubernetes.State.RemoveMutatingWebhookConfiguration(KubernetesState.WorkloadIdentityWebhookName);

        using var run = await RunAsync();

        Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
        var warning = Assert.Single(run.Warnings, w => w.Message.StartsWith("A dry-run pod", StringComparison.Ordinal));
        Assert.Equal($"A dry-run pod of ServiceAccount {Scenario.Namespace}/{Scenario.ServiceAccountName} labelled "
            + "azure.workload.identity/use: \"true\" got no AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE, the "
            + "projected token volume for api://AzureADTokenExchange: the webhook did not mutate it, and its "
            + "configuration could not be read (403): it is probably not installed. Install it (az aks update "
            + "--enable-workload-identity on AKS). Pods of this ServiceAccount will not get the identity's token "
            + "until this is fixed.", warning.Message);
        Assert.DoesNotContain(run.Lines, l => l.StartsWith("Webhook: injects", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_PodsCreateForbidden_OnlyADebugNote()
    {
        World.Kubernetes.Deny(EmulatedWorld.KubernetesUser, "create", "pods", Scenario.Namespace);

        var job = World.CreateJob();
        job.Variables["system.debug"] = "true";

        using var run = await Harness.RunAsync(job);

        EndToEndAssert.Succeeded(run);
        Assert.Empty(run.Warnings);
        Assert.Contains(run.Lines, l => l.Contains("debug]", StringComparison.Ordinal)
            && l.Contains($"may not create pods in {Scenario.Namespace} (403)", StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("Verified:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_WebhookNotInstalled_NoDryRun()
    {
        World.Kubernetes.State.RemoveMutatingWebhookConfiguration(KubernetesState.WorkloadIdentityWebhookName);

        using var run = await RunAsync();

        Assert.DoesNotContain(World.Kubernetes.Requests, r => r.Method == "POST" && r.Path.EndsWith("/pods",
            StringComparison.Ordinal));
        Assert.DoesNotContain(run.Warnings, w => w.Message.StartsWith("A dry-run pod", StringComparison.Ordinal));
    }
}
