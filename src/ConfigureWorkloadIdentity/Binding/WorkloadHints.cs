using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// What the workloads that run as the ServiceAccount still need: the webhook only injects the identity into
/// pods labelled azure.workload.identity/use: "true", and pods that are already running keep the client id they
/// started with.
/// </summary>
internal static class WorkloadHints
{
    /// <summary>
    /// Warnings for the workloads found; <paramref name="clientIdChanged"/> when the annotation changed.
    /// </summary>
    public static IReadOnlyList<string> Describe(
        IReadOnlyList<WorkloadUse> uses,
        BindingRequest request,
        bool clientIdChanged)
    {
        var warnings = new List<string>();
        foreach (var use in uses.Where(u => !u.HasUseLabel && !u.IsOwned))
        {
            var where = use.Kind switch
            {
                "Pod" => "metadata.labels",
                "CronJob" => "spec.jobTemplate.spec.template.metadata.labels",
                _ => "spec.template.metadata.labels",
            };
            warnings.Add(
                $"{use.Kind} {request.Namespace}/{use.Name} runs as {request.ServiceAccountName} but its pods lack "
                + $"the label {WorkloadIdentityKeys.UseLabel}: \"true\", so the webhook will not give them the "
                + $"identity. Add it under {where}.");
        }

        var running = uses.Where(u => u.Kind == "Pod" && u.IsRunningPod).Select(u => u.Name).ToList();
        if (clientIdChanged && running.Count > 0)
        {
            warnings.Add(
                $"These running pods still have the old client id and need a restart (kubectl rollout restart for "
                + $"their Deployment or StatefulSet): {string.Join(", ", running)}.");
        }

        return warnings;
    }
}
