namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>The AKS-managed Entra integration of a cluster (<c>properties.aadProfile</c>).</summary>
/// <param name="Managed">Whether the integration is AKS-managed.</param>
/// <param name="EnableAzureRbac">Whether Azure RBAC authorizes Kubernetes calls.</param>
/// <param name="AdminGroupObjectIds">The admin group object ids.</param>
/// <param name="TenantId">The tenant of the integration.</param>
public sealed record ManagedClusterAadProfile(
    bool Managed,
    bool EnableAzureRbac,
    IReadOnlyList<string> AdminGroupObjectIds,
    string TenantId);
