using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The body of a federated credential PUT.</summary>
internal sealed record FederatedIdentityCredentialBody(
    [property: JsonPropertyName("properties")] FederatedIdentityCredentialProperties Properties);
