namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>An AKS cluster (Microsoft.ContainerService/managedClusters) as GET returns it.</summary>
/// <param name="SubscriptionId">The subscription id.</param>
/// <param name="ResourceGroup">The resource group name.</param>
/// <param name="Name">The cluster name.</param>
/// <param name="Location">The Azure region.</param>
/// <param name="IssuerUrl">The OIDC issuer URL (wire key <c>issuerURL</c>), or null when not issued yet.</param>
/// <param name="OidcIssuerEnabled">Whether the OIDC issuer is enabled.</param>
/// <param name="WorkloadIdentityEnabled">Whether the workload identity webhook is enabled.</param>
public sealed record ManagedCluster(
    string SubscriptionId,
    string ResourceGroup,
    string Name,
    string Location,
    string? IssuerUrl,
    bool OidcIssuerEnabled,
    bool WorkloadIdentityEnabled)
{
    /// <summary>The Kubernetes version.</summary>
    public string KubernetesVersion { get; init; } = "1.30.6";

    /// <summary>The provisioning state.</summary>
    public string ProvisioningState { get; init; } = "Succeeded";

    /// <summary>The API server FQDN; a name derived from the cluster when null.</summary>
    public string? Fqdn { get; init; }

    /// <summary>The Entra integration, or null for a cluster without one.</summary>
    public ManagedClusterAadProfile? AadProfile { get; init; }

    /// <summary>Whether local (static) accounts are disabled.</summary>
    public bool DisableLocalAccounts { get; init; }

    /// <summary>
    /// The API server the credential actions' kubeconfigs point at (the Kubernetes emulator); https://fqdn:443
    /// when null.
    /// </summary>
    public Uri? KubernetesServer { get; init; }

    /// <summary>The cluster CA as base64 PEM (certificate-authority-data) in those kubeconfigs.</summary>
    public string? CertificateAuthorityData { get; init; }

    /// <summary>The static token of the clusterUser kubeconfig (clusters without Entra ID).</summary>
    public string? UserToken { get; init; }

    /// <summary>The static token of the clusterAdmin kubeconfig.</summary>
    public string? AdminToken { get; init; }

    /// <summary>The ARM id, with the lower-case <c>/resourcegroups/</c> segment.</summary>
    public string Id =>
        $"/subscriptions/{SubscriptionId}/resourcegroups/{ResourceGroup}"
        + $"/providers/Microsoft.ContainerService/managedClusters/{Name}";
}
