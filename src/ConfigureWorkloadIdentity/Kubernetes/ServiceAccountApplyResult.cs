using k8s.Models;

namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>The ServiceAccount as stored after a server-side apply, and whether the apply created it.</summary>
internal sealed record ServiceAccountApplyResult(V1ServiceAccount ServiceAccount, bool Created);
