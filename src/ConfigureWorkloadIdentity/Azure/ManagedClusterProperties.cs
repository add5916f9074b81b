using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The cluster settings that decide whether workload identity can work.</summary>
internal sealed record ManagedClusterProperties(
    [property: JsonPropertyName("fqdn")] string? Fqdn,
    [property: JsonPropertyName("oidcIssuerProfile")] OidcIssuerProfile? OidcIssuerProfile,
    [property: JsonPropertyName("securityProfile")] ManagedClusterSecurityProfile? SecurityProfile,
    [property: JsonPropertyName("disableLocalAccounts")] bool? DisableLocalAccounts);
