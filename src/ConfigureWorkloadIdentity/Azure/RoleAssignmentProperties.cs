using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>What a role assignment grants to whom, where; also the body of a role assignment PUT.</summary>
internal sealed record RoleAssignmentProperties(
    [property: JsonPropertyName("roleDefinitionId")] string? RoleDefinitionId,
    [property: JsonPropertyName("principalId")] string? PrincipalId,
    [property: JsonPropertyName("principalType")] string? PrincipalType,
    [property: JsonPropertyName("scope")] string? Scope)
{
    /// <summary>
    /// The role's GUID, the last segment of <see cref="RoleDefinitionId"/>. ARM answers with the tenant-level
    /// (/providers/…) or the subscription-level form of the id, so roles are compared by this.
    /// </summary>
    [JsonIgnore]
    public string? RoleDefinitionGuid => RoleDefinitionId?[(RoleDefinitionId.LastIndexOf('/') + 1)..];
}
