using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>What a federated credential trusts: tokens with this issuer, subject and audience.</summary>
internal sealed record FederatedIdentityCredentialProperties(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("audiences")] IReadOnlyList<string> Audiences);
