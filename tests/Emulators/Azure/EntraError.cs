using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>An Entra ID (AADSTS) error answer, written with the fields the real token endpoint sends.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Error">The OAuth error, e.g. invalid_client.</param>
/// <param name="Code">The AADSTS number.</param>
/// <param name="Message">The description after "AADSTSnnn: ".</param>
internal sealed record EntraError(int Status, string Error, int Code, string Message)
{
    public Task WriteAsync(HttpContext context, string correlationId)
    {
        var traceId = Guid.NewGuid().ToString();
        var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["error"] = Error,
            ["error_description"] = $"AADSTS{Code}: {Message}\r\nTrace ID: {traceId}\r\n"
                + $"Correlation ID: {correlationId}\r\nTimestamp: {timestamp}",
            ["error_codes"] = new JsonArray(Code),
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={Code}",
        };
        return EntraTokenEndpoint.WriteJsonAsync(context, Status, body);
    }

    public static EntraError TenantNotFound(string tenant) => new(
        400,
        "invalid_request",
        90002,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the "
        + "correct cloud. Check with your subscription administrator, this may happen if there are no active "
        + "subscriptions for the tenant.");

    public static EntraError MissingParameter(string name) => new(
        400, "invalid_request", 900144, $"The request body must contain the following parameter: '{name}'.");

    public static EntraError UnsupportedGrantType(string grantType) => new(
        400,
        "unsupported_grant_type",
        70003,
        $"The app requested an unsupported grant type '{grantType}'.");

    public static EntraError ApplicationNotFound(string clientId, string tenantId) => new(
        400,
        "unauthorized_client",
        700016,
        $"Application with identifier '{clientId}' was not found in the directory '{tenantId}'. This can happen "
        + "if the application has not been installed by the administrator of the tenant or consented to by any "
        + "user in the tenant. You may have sent your authentication request to the wrong tenant.");

    public static EntraError MissingCredential() => new(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

    public static EntraError InvalidSecret(string clientId) => new(
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "
        + $"not the client secret ID, for a secret added to app '{clientId}'.");

    public static EntraError MissingScope() => new(
        400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter.");

    public static EntraError InvalidScope(string scope) => new(
        400,
        "invalid_scope",
        70011,
        $"The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid.");

    public static EntraError AssertionNotSupported() => new(
        401,
        "invalid_client",
        700027,
        "Client assertion failed signature validation. (Emulator: client assertion grants, certificate or "
        + "federated, are not implemented yet.)");
}
