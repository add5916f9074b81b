using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// The managed identity endpoint of the emulated agent machine, in the two shapes Azure.Identity (through MSAL)
/// finds from the environment: App Service style (IDENTITY_ENDPOINT and IDENTITY_HEADER, api-version 2019-08-01)
/// and IMDS (AZURE_POD_IDENTITY_AUTHORITY_HOST in place of http://169.254.169.254, api-version 2018-02-01).
/// </summary>
internal sealed class ManagedIdentityEndpoint(AzureState state, EntraTokenEndpoint entra)
{
    public const string AppServicePath = "/msi/token";
    public const string ImdsPath = "/metadata/identity/oauth2/token";

    public string Header { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public Task HandleAppServiceAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers["X-IDENTITY-HEADER"].ToString() != Header)
        {
            return WriteAsync(context, 401, new JsonObject
            {
                ["statusCode"] = 401,
                ["message"] = "The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.",
                ["correlationId"] = Guid.NewGuid().ToString(),
            });
        }

        if (request.Query["api-version"].ToString() != "2019-08-01")
        {
            return WriteAsync(context, 400, new JsonObject
            {
                ["statusCode"] = 400,
                ["message"] = "Invalid api-version; use 2019-08-01.",
                ["correlationId"] = Guid.NewGuid().ToString(),
            });
        }

        return IssueAsync(context, appService: true);
    }

    public Task HandleImdsAsync(HttpContext context)
    {
        var request = context.Request;
        if (!string.Equals(request.Headers["Metadata"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return WriteAsync(context, 400, new JsonObject
            {
                ["error"] = "invalid_request",
                ["error_description"] = "Required metadata header not specified",
            });
        }

        return IssueAsync(context, appService: false);
    }

    private async Task IssueAsync(HttpContext context, bool appService)
    {
        var query = context.Request.Query;
        var resource = query["resource"].ToString();
        var clientId = query.TryGetValue("client_id", out var id) && id.ToString().Length > 0 ? id.ToString() : null;
        if (resource.Length == 0)
        {
            await WriteAsync(context, 400, new JsonObject
            {
                ["error"] = "invalid_request",
                ["error_description"] = "Required query variable 'resource' is missing",
            });
            return;
        }

        if (state.FindMachineIdentity(clientId) is not { } identity)
        {
            await WriteAsync(context, 400, appService
                ? new JsonObject
                {
                    ["statusCode"] = 400,
                    ["message"] = $"No managed identity found for specified ClientId/ResourceId: {clientId}",
                    ["correlationId"] = Guid.NewGuid().ToString(),
                }
                : new JsonObject { ["error"] = "invalid_request", ["error_description"] = "Identity not found" });
            return;
        }

        var token = entra.Issue(identity, resource, state.AccessTokenLifetime, "2");
        var expiresOn = token.ExpiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["access_token"] = token.AccessToken,
            ["expires_on"] = expiresOn,
            ["resource"] = resource,
            ["token_type"] = "Bearer",
            ["client_id"] = identity.ClientId,
        };
        if (!appService)
        {
            body["expires_in"] = ((int)state.AccessTokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        await WriteAsync(context, 200, body);
    }

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(AzureJson.Options), context.RequestAborted);
    }
}
