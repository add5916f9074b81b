namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>A subscription; its tenant is null when seeding never said.</summary>
/// <param name="SubscriptionId">The subscription id.</param>
/// <param name="TenantId">The home tenant id, or null when unknown (then any tenant's token is accepted).</param>
/// <param name="DisplayName">The display name.</param>
public sealed record AzureSubscription(string SubscriptionId, string? TenantId, string DisplayName);
