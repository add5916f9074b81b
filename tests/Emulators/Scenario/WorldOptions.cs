namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>Which paths an <see cref="EmulatedWorld"/> offers: sign-in, the way to the cluster, the cloud.</summary>
public sealed record WorldOptions
{
    /// <summary>The service connection's scheme.</summary>
    public ConnectionKind Connection { get; init; } = ConnectionKind.SpnSecret;

    /// <summary>
    /// The cloud the connection names (its data's environment). The emulators stand in for it at loopback; the
    /// connection carries their URLs and Resource Manager accepts only that cloud's audience.
    /// </summary>
    public string Cloud { get; init; } = "AzureCloud";
}
