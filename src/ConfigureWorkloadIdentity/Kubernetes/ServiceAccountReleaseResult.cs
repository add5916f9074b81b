using k8s.Models;

namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// The result of <see cref="ClusterClient.ReleaseServiceAccountAsync"/>: the ServiceAccount as stored afterwards
/// (null when missing), the fields the apiserver removed (this task owned them alone) and those it kept because
/// another field manager owns them too. Fields are named "annotation KEY", "label KEY" or "field NAME".
/// </summary>
internal sealed record ServiceAccountReleaseResult(
    ServiceAccountReleaseOutcome Outcome,
    V1ServiceAccount? ServiceAccount,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> KeptShared);
