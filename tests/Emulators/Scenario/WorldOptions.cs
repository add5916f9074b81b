namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>Which paths an <see cref="EmulatedWorld"/> offers: sign-in, the way to the cluster, the cloud.</summary>
public sealed record WorldOptions
{
    /// <summary>The service connection's scheme.</summary>
    public ConnectionKind Connection { get; init; } = ConnectionKind.SpnSecret;

    /// <summary>How the job reaches the cluster.</summary>
    public ClusterAccess ClusterAccess { get; init; } = ClusterAccess.AzureResourceManager;

    /// <summary>
    /// Whether the cluster is Entra ID enabled with local accounts disabled: its user kubeconfig names kubelogin,
    /// it has no static tokens and its admin credentials are refused.
    /// </summary>
    public bool EntraCluster { get; init; }

    /// <summary>
    /// The cloud the connection names (its data's environment). The emulators stand in for it at loopback; the
    /// connection carries their URLs and Resource Manager accepts only that cloud's audience.
    /// </summary>
    public string Cloud { get; init; } = "AzureCloud";
}
