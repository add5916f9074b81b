using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The parts of a Microsoft.ManagedIdentity/userAssignedIdentities resource this task uses.</summary>
internal sealed record UserAssignedIdentity(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("properties")] UserAssignedIdentityProperties? Properties);
