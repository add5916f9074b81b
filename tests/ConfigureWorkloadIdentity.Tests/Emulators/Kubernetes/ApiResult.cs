using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>A response from the emulator: status, raw body and headers.</summary>
internal sealed record ApiResult(int Status, string Body, IReadOnlyDictionary<string, string[]> Headers)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string? Metadata(string name) => Json["metadata"]?[name]?.GetValue<string>();
}
