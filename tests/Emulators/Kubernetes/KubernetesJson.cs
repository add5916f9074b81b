using System.Text.Encodings.Web;
using System.Text.Json;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>JSON output settings close to Go's encoding/json (quotes escaped as \", no pretty printing).</summary>
internal static class KubernetesJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };
}
