using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>A role definition's display name and type (BuiltInRole or CustomRole).</summary>
internal sealed record RoleDefinitionProperties(
    [property: JsonPropertyName("roleName")] string? RoleName,
    [property: JsonPropertyName("type")] string? Type);
