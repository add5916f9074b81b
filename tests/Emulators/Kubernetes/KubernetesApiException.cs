using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>An API failure on its way to the client as a metav1.Status body.</summary>
internal sealed class KubernetesApiException : Exception
{
    public KubernetesApiException(int statusCode, JsonObject status)
        : base(status["message"]?.GetValue<string>())
    {
        StatusCode = statusCode;
        Status = status;
    }

    public int StatusCode { get; }

    public JsonObject Status { get; }
}
