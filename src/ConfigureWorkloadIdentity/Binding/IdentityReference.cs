namespace ConfigureWorkloadIdentity.Binding;

/// <summary>A user-assigned managed identity by subscription, resource group and name.</summary>
internal sealed record IdentityReference(string SubscriptionId, string ResourceGroup, string Name)
{
    /// <summary>The ARM resource id.</summary>
    public string ResourceId =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}"
        + $"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{Name}";

    /// <inheritdoc />
    public override string ToString() => $"{Name} (resource group {ResourceGroup})";
}
