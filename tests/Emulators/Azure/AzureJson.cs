using System.Text.Encodings.Web;
using System.Text.Json;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>JSON writing as the services do it: quotes and plus signs in messages stay unescaped.</summary>
internal static class AzureJson
{
    public static JsonSerializerOptions Options { get; } =
        new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
