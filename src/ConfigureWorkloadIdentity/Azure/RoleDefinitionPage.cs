using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>One page of a role definition LIST.</summary>
internal sealed record RoleDefinitionPage(
    [property: JsonPropertyName("value")] IReadOnlyList<RoleDefinition>? Value,
    [property: JsonPropertyName("nextLink")] string? NextLink);
