using Azure.Core;
using Azure.Identity;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Pipelines;
using KubernetesServiceConnection = ConfigureWorkloadIdentity.Pipelines.KubernetesServiceConnection;

namespace ConfigureWorkloadIdentity;

/// <summary>One run after its inputs are valid, shared by task and CLI mode: connect, bind, report.</summary>
internal static class Execution
{
    /// <summary>Runs the binding and reports outputs and the result; returns the outcome.</summary>
    public static async Task<RunOutcome> RunAsync(
        RunRequest request,
        TokenCredential credential,
        AzureCloud cloud,
        KubernetesServiceConnection? kubernetesConnection,
        AgentEnvironment environment,
        IReporter reporter,
        CancellationToken cancellationToken,
        Func<string?>? signInEvidence = null)
    {
        try
        {
            var arm = new ArmClient(ArmClient.CreatePipeline(credential, cloud), cloud.ResourceManager);
            // Render hands the ServiceAccounts to Helm or GitOps: the cluster is not reached at all.
            var cluster = request.Action == StepAction.Render ? null : await ConnectClusterAsync(
                request, arm, credential, kubernetesConnection, environment, reporter, cancellationToken);
            reporter.Debug($"Resource Manager: {cloud.ResourceManager}; authority: {cloud.AuthorityHost}; "
                + $"Kubernetes API: {cluster?.BaseUri.ToString() ?? "not used"}");

            Func<IReporter, TrustVerifier>? verifierFor = request.Verify && cluster is not null
                ? log => new TrustVerifier(cloud, cluster, log, request.VerifyTimeout)
                : null;
            var result = await new BindingRunner(arm, cluster, reporter, verifierFor)
                .RunAsync(request, cancellationToken);
            StepOutputs.Set(reporter, result);
            reporter.UploadSummary(JobSummary.Render(result));
            var outcome = result.Failed.Count > 0 ? RunOutcome.Failed
                : result.WarningCount > 0 ? RunOutcome.SucceededWithIssues : RunOutcome.Succeeded;
            reporter.Complete(outcome, Verdict(result));
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
            return FailStep(reporter, request, FailureMessages.Describe(ex));
        }
        catch (ArmRequestException ex)
        {
            return FailStep(reporter, request, FailureMessages.Describe(ex));
        }
        catch (KubernetesRequestException ex)
        {
            return FailStep(reporter, request, FailureMessages.Describe(ex));
        }
        catch (AuthenticationFailedException ex)
        {
            var evidence = signInEvidence?.Invoke();
            return FailStep(reporter, request, FailureMessages.Describe(ex) + (evidence is null ? "" : " " + evidence));
        }
    }

    private static async Task<ClusterClient> ConnectClusterAsync(
        RunRequest request,
        ArmClient arm,
        TokenCredential credential,
        KubernetesServiceConnection? kubernetesConnection,
        AgentEnvironment environment,
        IReporter reporter,
        CancellationToken cancellationToken)
    {
        switch (request.ClusterConnection)
        {
            case ClusterConnectionKind.AzureResourceManager:
                var aks = request.AksCluster!;
                var kubeconfig = await arm.GetClusterKubeconfigAsync(
                    aks.ResourceId, request.UseClusterAdmin, cancellationToken);
                var which = request.UseClusterAdmin ? "admin" : "user";
                foreach (var secret in ClusterConnection.SecretsIn(kubeconfig))
                {
                    reporter.RegisterSecret(secret);
                }

                reporter.Info($"Cluster {aks.Name}: reached with its {which} credentials from Azure Resource Manager.");
                var source = $"{which} kubeconfig of AKS cluster {aks.Name}";
                // An Entra ID cluster's kubeconfig names kubelogin; the connection's own credential replaces it.
                return ClusterConnection.FromKubeconfigText(kubeconfig, null, source, reporter.Warning, credential);
            case ClusterConnectionKind.KubernetesServiceConnection:
                return kubernetesConnection!.Connect(reporter.Warning);
            default:
                return ClusterConnection.FromKubeconfigFile(
                    request.KubeconfigPath, request.KubeconfigContext, environment.Get, reporter.Warning);
        }
    }

    /// <summary>The step's one-line result: what changed, or which bindings failed and that a re-run helps.</summary>
    public static string Verdict(StepResult result)
    {
        var bindings = result.Bindings;
        var changes = bindings.Sum(b => b.Changes);
        var changed = $"{changes} change{(changes == 1 ? "" : "s")}";
        var what = bindings.Count == 1 ? bindings[0].ServiceAccount : $"{bindings.Count} ServiceAccounts";
        if (result.Failed is { Count: > 0 } failed)
        {
            return bindings.Count == 1
                ? FirstSentence(failed[0].Error!)
                : $"{bindings.Count - failed.Count} of {bindings.Count} bindings done; failed: "
                  + $"{string.Join(", ", failed.Select(f => f.ServiceAccount))}. Fix the errors above and run the "
                  + "step again: it finishes the rest and leaves the done ones unchanged.";
        }

        var verb = result.Action switch
        {
            StepAction.Render => $"rendered to {result.ManifestPath}",
            StepAction.Remove => "removed",
            _ => "configured",
        };
        return (changes, result.WhatIf) switch
        {
            (0, _) when result.Action == StepAction.Apply =>
                $"Workload identity for {what} was already configured; nothing changed.",
            (0, _) when result.Action == StepAction.Remove =>
                $"Nothing of this task's was left for {what}; nothing changed.",
            (_, true) => $"What-if: {changed} would be made for {what}; nothing was changed.",
            _ => $"Workload identity for {what} is {verb} ({changed}).",
        };
    }

    /// <summary>A step that stopped as a whole: the summary names its bindings and why it stopped.</summary>
    private static RunOutcome FailStep(IReporter reporter, RunRequest request, string message)
    {
        reporter.UploadSummary(JobSummary.RenderFailure(request, message));
        return Fail(reporter, message);
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
