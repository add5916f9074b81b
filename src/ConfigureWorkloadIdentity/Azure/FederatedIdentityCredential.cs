using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>A federated identity credential on a user-assigned identity.</summary>
internal sealed record FederatedIdentityCredential(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("properties")] FederatedIdentityCredentialProperties Properties);
