namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>What an injected fault does to a matching request.</summary>
public enum FaultKind
{
    /// <summary>Waits <see cref="FaultRule.Delay"/>, then serves the request normally.</summary>
    Latency,

    /// <summary>
    /// Answers <see cref="FaultRule.Status"/> and <see cref="FaultRule.Body"/> in place of the route.
    /// </summary>
    Respond,

    /// <summary>Drops the connection without an answer.</summary>
    Reset,

    /// <summary>
    /// Never answers: holds the request until the client gives up and closes the connection (a timeout). Nothing
    /// is served.
    /// </summary>
    Hang,

    /// <summary>
    /// Serves the request (its writes happen), then drops the connection before the answer reaches the client:
    /// the connection reset mid-response that makes a client retry a write that already succeeded.
    /// </summary>
    ResetAfterServing,
}
