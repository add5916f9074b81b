using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity;

/// <summary>Runs as the pipeline task: inputs and the service connection from the agent's environment.</summary>
internal static class TaskMode
{
    /// <summary>
    /// Runs the task; always returns 0 because the result travels in task.complete, as the agent wants.
    /// </summary>
    public static async Task<int> RunAsync(
        AgentEnvironment environment,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        var reporter = new PipelineReporter(output, environment.IsDebug, environment.Get("AGENT_TEMPDIRECTORY"));
        var errors = new List<InputError>();
        var connection = AzureServiceConnection.Read(environment, errors);

        // Masked before anything else is printed, so no later line can reveal it.
        foreach (var secret in connection.Secrets)
        {
            reporter.RegisterSecret(secret);
        }

        reporter.Info($"Configure Workload Identity {VersionInfo.Version}");
        RunRequest? request = null;
        try
        {
            request = RequestReader.Read(TaskInputs.FromAgent(environment), connection.SubscriptionId);
        }
        catch (InputValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        KubernetesServiceConnection? kubernetesConnection = null;
        if (request?.KubernetesServiceConnectionId is { } kubernetesId)
        {
            kubernetesConnection = KubernetesServiceConnection.Read(environment, kubernetesId, errors);
            foreach (var secret in kubernetesConnection.Secrets)
            {
                reporter.RegisterSecret(secret);
            }
        }

        if (errors.Count > 0 || request is null)
        {
            foreach (var error in errors)
            {
                reporter.Error(error.Message);
            }

            reporter.Complete(RunOutcome.Failed,
                $"{errors.Count} input error{(errors.Count == 1 ? "" : "s")}; nothing was changed.");
            return 0;
        }

        reporter.Info(connection.Describe());
        var evidence = new OidcTokenEvidence();
        var credential = connection.CreateCredential(token =>
        {
            reporter.RegisterSecret(token);
            evidence.Observe(token);
        });
        await Execution.RunAsync(
            request, credential, connection.Cloud, kubernetesConnection, environment, reporter, cancellationToken,
            evidence.Describe);
        return 0;
    }
}
