using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The parts of a Microsoft.Authorization/roleAssignments resource this task uses.</summary>
internal sealed record RoleAssignment(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("properties")] RoleAssignmentProperties? Properties);
