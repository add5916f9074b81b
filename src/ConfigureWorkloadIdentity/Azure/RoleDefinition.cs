using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The parts of a Microsoft.Authorization/roleDefinitions resource this task uses.</summary>
/// <param name="Id">The full id; its form depends on the scope it was read at.</param>
/// <param name="Name">The role's GUID: compare roles by this, never by <paramref name="Id"/>.</param>
/// <param name="Properties">The role's name and type.</param>
internal sealed record RoleDefinition(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("properties")] RoleDefinitionProperties? Properties);
