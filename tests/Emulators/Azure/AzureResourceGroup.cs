namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>A resource group.</summary>
/// <param name="SubscriptionId">The subscription id.</param>
/// <param name="Name">The name, as first given.</param>
/// <param name="Location">The region.</param>
public sealed record AzureResourceGroup(string SubscriptionId, string Name, string Location);
