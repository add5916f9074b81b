using Azure.Core;
using Azure.Identity;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity;

/// <summary>One run after its inputs are valid, shared by task and CLI mode: connect, bind, report.</summary>
internal static class Execution
{
    /// <summary>Runs the binding and reports outputs and the result; returns the outcome.</summary>
    public static async Task<RunOutcome> RunAsync(
        RunRequest request,
        TokenCredential credential,
        AzureCloud cloud,
        AgentEnvironment environment,
        IReporter reporter,
        CancellationToken cancellationToken)
    {
        try
        {
            var arm = new ArmClient(ArmClient.CreatePipeline(credential, cloud), cloud.ResourceManager);
            var cluster = ClusterConnection.FromKubeconfig(request.KubeconfigPath, environment.Get);
            reporter.Debug($"Resource Manager: {cloud.ResourceManager}; authority: {cloud.AuthorityHost}; "
                + $"Kubernetes API: {cluster.BaseUri}");

            var result = await new BindingRunner(arm, cluster, reporter)
                .RunAsync(request.Binding, request.WhatIf, cancellationToken);
            reporter.SetOutput("clientId", result.Identity.ClientId);
            reporter.SetOutput("principalId", result.Identity.PrincipalId);
            reporter.SetOutput("tenantId", result.Identity.TenantId);
            reporter.SetOutput("issuerUrl", result.Issuer);
            reporter.SetOutput("federatedCredentialName", result.CredentialName);
            reporter.SetOutput("serviceAccount", result.ServiceAccount);

            reporter.UploadSummary(JobSummary.Render(result));
            var outcome = result.Warnings.Count > 0 ? RunOutcome.SucceededWithIssues : RunOutcome.Succeeded;
            var changes = $"{result.Changes} change{(result.Changes == 1 ? "" : "s")}";
            reporter.Complete(outcome, (result.Changes, request.WhatIf) switch
            {
                (0, _) => $"Workload identity for {result.ServiceAccount} was already configured; nothing changed.",
                (_, true) => $"What-if: {changes} would be made for {result.ServiceAccount}; nothing was changed.",
                _ => $"Workload identity for {result.ServiceAccount} is configured ({changes}).",
            });
            return outcome;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reporter.Error("Cancelled. A run that is started again finishes what this one left undone.");
            reporter.Complete(RunOutcome.Canceled, "Cancelled.");
            return RunOutcome.Canceled;
        }
        catch (BindingFailedException ex)
        {
            return Fail(reporter, FailureMessages.Describe(ex, request));
        }
        catch (ArmRequestException ex)
        {
            return Fail(reporter, FailureMessages.Describe(ex, request));
        }
        catch (KubernetesRequestException ex)
        {
            return Fail(reporter, FailureMessages.Describe(ex, request));
        }
        catch (AuthenticationFailedException ex)
        {
            return Fail(reporter, FailureMessages.Describe(ex, request));
        }
    }

    /// <summary>Reports a failure: the whole message as an error issue, its first sentence as the result.</summary>
    public static RunOutcome Fail(IReporter reporter, string message)
    {
        reporter.Error(message);
        reporter.Complete(RunOutcome.Failed, FirstSentence(message));
        return RunOutcome.Failed;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
