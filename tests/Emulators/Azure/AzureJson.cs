using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>JSON writing as the services do it: quotes and plus signs in messages stay unescaped.</summary>
internal static class AzureJson
{
    public static JsonSerializerOptions Options { get; } =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The string property <paramref name="name"/> of <paramref name="obj"/>, or null.</summary>
    public static string? String(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
