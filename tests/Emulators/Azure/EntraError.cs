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

    public static EntraError InvalidAssertionType(string? type) => new(
        400,
        "invalid_request",
        7000216,
        $"'client_assertion_type' '{type}' is not supported; it must be "
        + $"'{EntraTokenEndpoint.JwtBearerAssertionType}'.");

    public static EntraError MalformedAssertion() => new(
        400, "invalid_request", 50027, "JWT token is invalid or malformed.");

    public static EntraError UnknownCertificate(string thumbprint, string clientId) => new(
        401,
        "invalid_client",
        700027,
        "Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used "
        + $"by client: '{thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to "
        + $"see configured keys for app Id '{clientId}'.]");

    public static EntraError InvalidAssertionSignature() => new(
        401, "invalid_client", 700027, "Client assertion failed signature validation.");

    // Emulator wording: the audience check of a certificate assertion is not quoted in the references.
    public static EntraError AssertionAudienceInvalid(string audience, string expected) => new(
        401,
        "invalid_client",
        700027,
        $"Client assertion failed signature validation. [Reason - The audience '{audience}' is not the token "
        + $"endpoint '{expected}'.]");

    public static EntraError AssertionOutsideLifetime(
        DateTimeOffset now,
        DateTimeOffset? notBefore,
        DateTimeOffset? expires) => new(
        400,
        "invalid_client",
        700024,
        $"Client assertion is not within its valid time range. Current time: {Time(now)}, assertion valid from "
        + $"{Time(notBefore)}, expiry time of assertion {Time(expires)}. Review the documentation at "
        + "https://learn.microsoft.com/entra/identity-platform/certificate-credentials .");

    public static EntraError NoMatchingFederatedIssuer(string issuer, string subject, string audience) => new(
        400,
        "invalid_request",
        70021,
        "No matching federated identity record found for presented assertion. "
        + $"Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'. Assertion Audience: '{audience}'.");

    public static EntraError NoMatchingFederatedSubject(string issuer, string subject, string audience) => new(
        400,
        "invalid_request",
        700213,
        $"No matching federated identity record found for presented assertion subject '{subject}'. Check your "
        + "federated identity credential Subject, Audience and Issuer against the presented assertion. "
        + $"Assertion Issuer: '{issuer}'. Assertion Audience: '{audience}'.");

    public static EntraError NoMatchingFederatedAudience(string issuer, string subject, string audience) => new(
        400,
        "invalid_request",
        700212,
        $"No matching federated identity record found for presented assertion audience '{audience}'. "
        + $"Assertion Issuer: '{issuer}'. Assertion Subject: '{subject}'.");

    public static EntraError ExternalIssuerUnreachable(string issuer) => new(
        400,
        "invalid_request",
        50166,
        $"Request to External OIDC endpoint failed. Issuer: '{issuer}'.");

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) ?? "(none)";
}
