using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The parts of a Microsoft.ContainerService/managedClusters resource this task uses.</summary>
internal sealed record ManagedCluster(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("properties")] ManagedClusterProperties? Properties);
