namespace ConfigureWorkloadIdentity.Azure;

/// <summary>
/// An ARM request that failed, with the evidence a user or Azure support needs: status, ARM error code and
/// message, and the request and correlation ids.
/// </summary>
internal sealed class ArmRequestException(
    string method,
    string path,
    int status,
    string? code,
    string? armMessage,
    string? requestId,
    string? correlationId)
    : Exception(Describe(method, path, status, code, armMessage, requestId, correlationId))
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The ARM error code, e.g. ResourceNotFound or AuthorizationFailed.</summary>
    public string? Code { get; } = code;

    /// <summary>The ARM error message.</summary>
    public string? ArmMessage { get; } = armMessage;

    /// <summary>The x-ms-request-id response header.</summary>
    public string? RequestId { get; } = requestId;

    /// <summary>The x-ms-correlation-request-id response header.</summary>
    public string? CorrelationId { get; } = correlationId;

    private static string Describe(
        string method,
        string path,
        int status,
        string? code,
        string? message,
        string? requestId,
        string? correlationId) =>
        $"ARM {method} {path} answered {status} {code ?? "(no error code)"}: {message ?? "(no message)"} "
        + $"(x-ms-request-id: {requestId ?? "none"}, x-ms-correlation-request-id: {correlationId ?? "none"})";
}
