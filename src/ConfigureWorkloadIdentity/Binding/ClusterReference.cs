namespace ConfigureWorkloadIdentity.Binding;

/// <summary>An AKS managed cluster by subscription, resource group and name.</summary>
internal sealed record ClusterReference(string SubscriptionId, string ResourceGroup, string Name)
{
    /// <summary>The ARM resource id.</summary>
    public string ResourceId =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}"
        + $"/providers/Microsoft.ContainerService/managedClusters/{Name}";

    /// <inheritdoc />
    public override string ToString() => $"{Name} (resource group {ResourceGroup})";
}
