using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The read-only ids of a user-assigned identity.</summary>
internal sealed record UserAssignedIdentityProperties(
    [property: JsonPropertyName("clientId")] string? ClientId,
    [property: JsonPropertyName("principalId")] string? PrincipalId,
    [property: JsonPropertyName("tenantId")] string? TenantId);
