using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>
/// Sees every OIDC token Azure DevOps returns to <c>AzurePipelinesCredential</c> (which fetches it itself) and hands
/// it on, so it is masked before anything could print it.
/// </summary>
internal sealed class OidcTokenObserverPolicy(Action<string> onToken) : HttpPipelinePolicy
{
    /// <inheritdoc />
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ProcessNext(message, pipeline);
        Observe(message);
    }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        Observe(message);
    }

    private void Observe(HttpMessage message)
    {
        if (!message.HasResponse
            || !message.Request.Uri.Path.EndsWith("/oidctoken", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(message.Response.Content.ToMemory());
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("oidcToken", out var token)
                && token.ValueKind == JsonValueKind.String
                && token.GetString() is { Length: > 0 } value)
            {
                onToken(value);
            }
        }
        catch (JsonException)
        {
            // No token in a body that is not JSON; the credential reports the failure itself.
        }
    }
}
