using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>One page of a role assignment LIST.</summary>
internal sealed record RoleAssignmentPage(
    [property: JsonPropertyName("value")] IReadOnlyList<RoleAssignment>? Value,
    [property: JsonPropertyName("nextLink")] string? NextLink);
