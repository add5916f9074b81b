namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>A user-assigned managed identity (Microsoft.ManagedIdentity/userAssignedIdentities).</summary>
/// <param name="SubscriptionId">The subscription id.</param>
/// <param name="ResourceGroup">The resource group name, as first given.</param>
/// <param name="Name">The identity name, as first given.</param>
/// <param name="Location">The Azure region, e.g. eastus.</param>
/// <param name="ClientId">The client id of the app behind the identity.</param>
/// <param name="PrincipalId">The object id of its service principal.</param>
/// <param name="TenantId">The tenant id.</param>
public sealed record UserAssignedIdentity(
    string SubscriptionId,
    string ResourceGroup,
    string Name,
    string Location,
    string ClientId,
    string PrincipalId,
    string TenantId)
{
    /// <summary>Resource tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>When it was created through ARM, by the emulator's clock; null for a seeded identity.</summary>
    public DateTimeOffset? CreatedOn { get; init; }

    /// <summary>The ARM id as the RP returns it, with the lower-case <c>/resourcegroups/</c> segment.</summary>
    public string Id =>
        $"/subscriptions/{SubscriptionId}/resourcegroups/{ResourceGroup}"
        + $"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{Name}";
}
