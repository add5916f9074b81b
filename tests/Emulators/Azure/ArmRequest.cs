using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>One authenticated ARM request with the helpers providers answer it with.</summary>
internal sealed class ArmRequest(
    HttpContext context,
    IReadOnlyList<string> segments,
    string apiVersion,
    ArmPrincipal principal,
    AzureState state,
    Uri baseUri)
{
    public HttpContext Context => context;

    public string Method => context.Request.Method;

    /// <summary>The path segments, unescaped; [0] is "subscriptions".</summary>
    public IReadOnlyList<string> Segments => segments;

    /// <summary>The path as sent, without a trailing slash: the scope in RBAC messages.</summary>
    public string Path => (context.Request.Path.Value ?? "/").TrimEnd('/');

    public string ApiVersion => apiVersion;

    public ArmPrincipal Principal => principal;

    public AzureState State => state;

    public Uri BaseUri => baseUri;

    public string? Query(string name) =>
        context.Request.Query.FirstOrDefault(q => string.Equals(q.Key, name, StringComparison.OrdinalIgnoreCase))
            .Value.FirstOrDefault();

    public async Task<string> ReadBodyAsync(CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    /// <summary>
    /// The body as a JSON object, or null after answering 400 InvalidRequestContent for anything else.
    /// </summary>
    public async Task<JsonObject?> ReadJsonObjectAsync(CancellationToken cancellationToken)
    {
        var text = await ReadBodyAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(text.Length == 0 ? "null" : text) is JsonObject body)
            {
                return body;
            }

            await WriteErrorAsync(
                400,
                "InvalidRequestContent",
                "The request content was invalid and could not be deserialized.",
                cancellationToken);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(
                400,
                "InvalidRequestContent",
                $"The request content was invalid and could not be deserialized: '{e.Message}'.",
                cancellationToken);
        }

        return null;
    }

    public Task WriteJsonAsync(int status, JsonNode body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ArmFrontDoor.JsonContentType;
        return context.Response.WriteAsync(body.ToJsonString(AzureJson.Options), cancellationToken);
    }

    public Task WriteErrorAsync(int status, string code, string message, CancellationToken cancellationToken) =>
        WriteJsonAsync(status, ArmFrontDoor.ErrorBody(code, message), cancellationToken);

    public Task WriteEmptyAsync(int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
