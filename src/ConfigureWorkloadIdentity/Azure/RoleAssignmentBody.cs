using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The body of a role assignment PUT.</summary>
internal sealed record RoleAssignmentBody(
    [property: JsonPropertyName("properties")] RoleAssignmentProperties Properties);
