using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>One kubeconfig from listClusterUserCredential / listClusterAdminCredential.</summary>
internal sealed record CredentialResult(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("value")] byte[]? Value);
