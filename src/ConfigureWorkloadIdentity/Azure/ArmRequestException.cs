namespace ConfigureWorkloadIdentity.Azure;

/// <summary>
/// An ARM request that failed, with the evidence a user or Azure support needs: status, ARM error code and
/// message, and the request and correlation ids. Status 0 means no usable answer came back at all.
/// </summary>
internal sealed class ArmRequestException : Exception
{
    /// <summary>An error answer from Resource Manager.</summary>
    public ArmRequestException(
        string method,
        string path,
        int status,
        string? code,
        string? armMessage,
        string? requestId,
        string? correlationId)
        : base($"ARM {method} {path} answered {status} {code ?? "(no error code)"}: {armMessage ?? "(no message)"} "
            + $"(x-ms-request-id: {requestId ?? "none"}, x-ms-correlation-request-id: {correlationId ?? "none"})")
    {
        Status = status;
        Code = code;
        ArmMessage = armMessage;
        RequestId = requestId;
        CorrelationId = correlationId;
    }

    private ArmRequestException(string message, string code, Exception inner)
        : base(message, inner)
    {
        Code = code;
    }

    /// <summary>The HTTP status, or 0 when no usable answer came back.</summary>
    public int Status { get; }

    /// <summary>The ARM error code, e.g. ResourceNotFound or AuthorizationFailed.</summary>
    public string? Code { get; }

    /// <summary>The ARM error message.</summary>
    public string? ArmMessage { get; }

    /// <summary>The x-ms-request-id response header.</summary>
    public string? RequestId { get; }

    /// <summary>The x-ms-correlation-request-id response header.</summary>
    public string? CorrelationId { get; }

    /// <summary>Resource Manager could not be reached (after the pipeline's retries).</summary>
    public static ArmRequestException Unreachable(string method, Uri uri, Exception inner) =>
        new($"Could not reach Azure Resource Manager at {uri.GetLeftPart(UriPartial.Authority)} for {method} "
            + $"{uri.AbsolutePath}: {Innermost(inner).Message} Check the service connection's Resource Manager URL "
            + "and the agent's network and proxy.", "Unreachable", inner);

    /// <summary>Every attempt waited the per-attempt timeout without an answer.</summary>
    public static ArmRequestException TimedOut(string method, Uri uri, int attempts, Exception inner) =>
        new($"Azure Resource Manager at {uri.GetLeftPart(UriPartial.Authority)} did not answer {method} "
            + $"{uri.AbsolutePath} within {RequestTimeout.PerAttempt.TotalSeconds:0} s, {attempts} times. Azure "
            + "may be degraded (see https://azure.status.microsoft) or a proxy may hold the request; run again "
            + $"later, or raise the pipeline variable {RequestTimeout.VariableName} (seconds per attempt).",
            "Timeout", inner);

    /// <summary>A success status whose body is not the JSON ARM sends (a proxy or captive portal page).</summary>
    public static ArmRequestException NotJson(string method, Uri uri, int status, Exception inner) =>
        new($"Azure Resource Manager at {uri.GetLeftPart(UriPartial.Authority)} answered {method} "
            + $"{uri.AbsolutePath} with status {status} but a body that is not ARM's JSON; a proxy or firewall "
            + "may be answering instead of Azure. Check the service connection's Resource Manager URL.",
            "InvalidResponse", inner);

    private static Exception Innermost(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: > 0 } all ? Innermost(all.InnerExceptions[^1])
        : ex.InnerException is { } inner ? Innermost(inner)
        : ex;
}
