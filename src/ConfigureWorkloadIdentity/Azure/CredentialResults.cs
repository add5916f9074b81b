using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The answer of the AKS credential actions: kubeconfigs, base64 on the wire.</summary>
internal sealed record CredentialResults(
    [property: JsonPropertyName("kubeconfigs")] IReadOnlyList<CredentialResult>? Kubeconfigs);
