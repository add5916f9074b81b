using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>One page of a federated credential list.</summary>
internal sealed record FederatedIdentityCredentialPage(
    [property: JsonPropertyName("value")] IReadOnlyList<FederatedIdentityCredential>? Value,
    [property: JsonPropertyName("nextLink")] string? NextLink);
