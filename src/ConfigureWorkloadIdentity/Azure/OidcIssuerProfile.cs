using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The cluster's OIDC issuer; on the wire the URL key is spelled <c>issuerURL</c>.</summary>
internal sealed record OidcIssuerProfile(
    [property: JsonPropertyName("enabled")] bool? Enabled,
    [property: JsonPropertyName("issuerURL")] string? IssuerUrl);
