namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// One validated binding: the identity to trust the ServiceAccount, and where the issuer comes from (a cluster,
/// or a URL given by hand). Every binding of a step shares the cluster and the issuer.
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

    /// <summary>The ServiceAccount as namespace/name.</summary>
    public string ServiceAccount => $"{Namespace}/{ServiceAccountName}";

    /// <summary>Labels set on the ServiceAccount besides the workload identity label.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Annotations set on the ServiceAccount besides the client id.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether to annotate the ServiceAccount with the identity's tenant id.</summary>
    public bool AnnotateTenantId { get; init; }

    /// <summary>The projected token lifetime the webhook gives pods, or null for its default (one hour).</summary>
    public TimeSpan? TokenExpiration { get; init; }

    /// <summary>Roles the identity is to hold.</summary>
    public IReadOnlyList<RoleGrant> Roles { get; init; } = [];

    /// <summary>
    /// Whether a named credential that exists for another issuer or subject may be repointed to this binding
    /// (it may serve another workload, so only on request).
    /// </summary>
    public bool RepointCredential { get; init; }
}
