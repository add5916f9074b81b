namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// One validated binding: the identity to trust the ServiceAccount, and where the issuer comes from (a cluster,
/// or a URL given by hand).
/// </summary>
internal sealed record BindingRequest(
    IdentityReference Identity,
    ClusterReference? Cluster,
    string? IssuerUrl,
    string Namespace,
    string ServiceAccountName,
    string? FederatedCredentialName,
    bool CreateNamespace)
{
    /// <summary>The only audience Entra ID accepts for workload identity federation.</summary>
    public const string Audience = "api://AzureADTokenExchange";

    /// <summary>The token subject Kubernetes gives the ServiceAccount.</summary>
    public string Subject => $"system:serviceaccount:{Namespace}:{ServiceAccountName}";
}
