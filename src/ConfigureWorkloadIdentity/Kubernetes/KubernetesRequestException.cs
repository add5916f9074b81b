namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// A Kubernetes API request that failed, with the apiserver's Status reason and message and the Audit-Id of the
/// answer (what a cluster operator looks up in the audit log); status 0 when the API server was never reached
/// (no kubeconfig, an unreadable one, a network failure).
/// </summary>
internal sealed class KubernetesRequestException(
    string action,
    int status,
    string? reason,
    string? statusMessage,
    string? auditId = null)
    : Exception(status == 0
        ? $"Kubernetes: could not {action}: {statusMessage}"
        : $"Kubernetes {action} answered {status} {reason ?? "(no reason)"}: {statusMessage ?? "(no message)"}"
          + (auditId is null ? "" : $" (Audit-Id: {auditId})"))
{
    /// <summary>The HTTP status, or 0 when the server could not be reached.</summary>
    public int Status { get; } = status;

    /// <summary>The metav1.Status reason, e.g. Forbidden, NotFound, Conflict.</summary>
    public string? Reason { get; } = reason;

    /// <summary>The metav1.Status message.</summary>
    public string? StatusMessage { get; } = statusMessage;

    /// <summary>The apiserver's Audit-Id response header, when it sent one.</summary>
    public string? AuditId { get; } = auditId;
}
