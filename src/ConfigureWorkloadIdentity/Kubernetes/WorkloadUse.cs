namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>A workload whose pods run as the ServiceAccount.</summary>
/// <param name="Kind">Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod (a bare pod).</param>
/// <param name="Name">The workload's name.</param>
/// <param name="HasUseLabel">Whether its pod template carries azure.workload.identity/use: "true".</param>
/// <param name="IsRunningPod">A pod in phase Running (it keeps the environment it started with).</param>
/// <param name="IsOwned">A pod made by a controller (its template is the one to fix, not the pod).</param>
internal sealed record WorkloadUse(
    string Kind,
    string Name,
    bool HasUseLabel,
    bool IsRunningPod,
    bool IsOwned = false);
