using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>A successful API answer.</summary>
/// <param name="StatusCode">200 or 201.</param>
/// <param name="Body">The JSON body.</param>
/// <param name="Warnings">Texts for <c>Warning: 299 - "…"</c> headers.</param>
internal sealed record KubernetesResponse(int StatusCode, JsonNode Body, IReadOnlyList<string> Warnings)
{
    public static KubernetesResponse Ok(JsonNode body) => new(200, body, []);
}
