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
}
