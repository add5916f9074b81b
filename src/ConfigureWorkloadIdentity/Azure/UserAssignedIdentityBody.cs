using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The body of a user-assigned identity PUT: a tracked resource's location and tags.</summary>
internal sealed record UserAssignedIdentityBody(
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("tags")] IReadOnlyDictionary<string, string> Tags);
