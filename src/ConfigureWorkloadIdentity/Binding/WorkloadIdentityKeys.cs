namespace ConfigureWorkloadIdentity.Binding;

/// <summary>The annotation and label names of Azure workload identity.</summary>
internal static class WorkloadIdentityKeys
{
    /// <summary>The ServiceAccount annotation the webhook reads the identity's client id from.</summary>
    public const string ClientIdAnnotation = "azure.workload.identity/client-id";

    /// <summary>The optional ServiceAccount annotation that overrides the tenant the webhook gives pods.</summary>
    public const string TenantIdAnnotation = "azure.workload.identity/tenant-id";

    /// <summary>The optional ServiceAccount annotation for the projected token's lifetime in seconds.</summary>
    public const string TokenExpirationAnnotation = "azure.workload.identity/service-account-token-expiration";

    /// <summary>The label the webhook selects pods by (on the pod template; also set on the ServiceAccount).</summary>
    public const string UseLabel = "azure.workload.identity/use";
}
