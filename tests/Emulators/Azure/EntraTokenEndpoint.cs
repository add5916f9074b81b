using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// The Entra ID v2.0 endpoints: token (client credentials), OpenID configuration and signing keys.
/// Client authentication is one step with one branch per credential kind: a client secret, a certificate
/// assertion (signed by the app's own certificate) or a federated assertion (a token of a trusted external issuer
/// matching one of the client's federated credentials).
/// </summary>
internal sealed class EntraTokenEndpoint(
    AzureState state,
    JwtSigner signer,
    Func<Uri> baseUri,
    EmulatorClock clock,
    LoopbackNetwork network)
{
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private const string DefaultScopeSuffix = "/.default";

    public static string IssuerFor(string tenantId) => $"https://sts.windows.net/{tenantId}/";

    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store, no-cache";
        response.Headers.Pragma = "no-cache";
        response.Headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        if (context.Request.Headers.TryGetValue("client-request-id", out var clientRequestId))
        {
            response.Headers["client-request-id"] = clientRequestId;
        }

        await response.WriteAsync(body.ToJsonString(AzureJson.Options), context.RequestAborted);
    }

    public Task HandleTokenAsync(HttpContext context, string tenant) =>
        HandleTokenAsync(context, tenant, TokenEndpointFor(tenant));

    /// <summary>
    /// The token endpoint of an AD FS authority (<c>{base}/adfs/oauth2/token</c>), which the Azure CLI uses for a
    /// cloud whose Active Directory endpoint ends in <c>/adfs</c>: AD FS has no tenant in its paths, so the
    /// emulator's only tenant answers (none when it holds several).
    /// </summary>
    public Task HandleAdfsTokenAsync(HttpContext context) =>
        HandleTokenAsync(context, state.SoleTenantId ?? "adfs", $"{baseUri().AbsoluteUri}adfs/oauth2/token");

    /// <summary>AD FS's discovery document, as MSAL reads it for an AD FS authority (no <c>/v2.0</c>).</summary>
    public Task HandleAdfsOpenIdConfigurationAsync(HttpContext context)
    {
        var root = baseUri().AbsoluteUri + "adfs";
        return WriteJsonAsync(context, 200, new JsonObject
        {
            ["issuer"] = root,
            ["authorization_endpoint"] = $"{root}/oauth2/authorize/",
            ["token_endpoint"] = $"{root}/oauth2/token/",
            ["jwks_uri"] = $"{root}/discovery/keys",
            ["token_endpoint_auth_methods_supported"] =
                new JsonArray("client_secret_post", "client_secret_basic", "private_key_jwt"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "token"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "allatclaims"),
            ["access_token_issuer"] = "http://adfs.emulator/adfs/services/trust",
        });
    }

    private async Task HandleTokenAsync(HttpContext context, string tenant, string tokenEndpoint)
    {
        var correlationId = context.Request.Headers["client-request-id"].FirstOrDefault()
            ?? Guid.NewGuid().ToString();
        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : FormCollection.Empty;
        var outcome = await AuthorizeAsync(
            context.Request, form, tenant, tokenEndpoint, context.RequestAborted);
        if (outcome.Error is { } error)
        {
            await error.WriteAsync(context, correlationId);
            return;
        }

        var token = Issue(outcome.Principal!, outcome.Audience!, state.AccessTokenLifetime, outcome.AuthMethod);
        var seconds = (int)state.AccessTokenLifetime.TotalSeconds - 1;
        await WriteJsonAsync(context, 200, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = seconds,
            ["ext_expires_in"] = seconds,
            ["access_token"] = token.AccessToken,
        });
    }

    public Task HandleOpenIdConfigurationAsync(HttpContext context, string tenant)
    {
        if (!state.TryResolveTenant(tenant, out var tenantId))
        {
            var error = EntraError.TenantNotFound(tenant) with { Error = "invalid_tenant" };
            return error.WriteAsync(context, Guid.NewGuid().ToString());
        }

        var root = baseUri().AbsoluteUri + tenantId;
        return WriteJsonAsync(context, 200, new JsonObject
        {
            ["token_endpoint"] = $"{root}/oauth2/v2.0/token",
            ["token_endpoint_auth_methods_supported"] =
                new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            ["jwks_uri"] = $"{root}/discovery/v2.0/keys",
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["issuer"] = $"{root}/v2.0",
            ["request_uri_parameter_supported"] = false,
            ["authorization_endpoint"] = $"{root}/oauth2/v2.0/authorize",
            ["device_authorization_endpoint"] = $"{root}/oauth2/v2.0/devicecode",
            ["end_session_endpoint"] = $"{root}/oauth2/v2.0/logout",
            ["tenant_region_scope"] = "NA",
            ["cloud_instance_name"] = "microsoftonline.com",
        });
    }

    public Task HandleKeysAsync(HttpContext context, string tenant)
    {
        if (!state.TryResolveTenant(tenant, out var tenantId))
        {
            var error = EntraError.TenantNotFound(tenant) with { Error = "invalid_tenant" };
            return error.WriteAsync(context, Guid.NewGuid().ToString());
        }

        var jwks = signer.ToJwks();
        foreach (var key in jwks["keys"]!.AsArray())
        {
            key!["issuer"] = $"{baseUri().AbsoluteUri}{tenantId}/v2.0";
        }

        return WriteJsonAsync(context, 200, jwks);
    }

    /// <summary>Mints and records an access token for a principal, as a successful grant does.</summary>
    public IssuedToken Issue(ServicePrincipal principal, string audience, TimeSpan lifetime, string authMethod = "1")
    {
        var now = clock.UtcNow;
        var expires = now + lifetime;
        var issuer = IssuerFor(principal.TenantId);
        var payload = new JsonObject
        {
            ["aud"] = audience,
            ["iss"] = issuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["aio"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            ["appid"] = principal.ClientId,
            ["appidacr"] = authMethod,
            ["azp"] = principal.ClientId,
            ["idp"] = issuer,
            ["idtyp"] = "app",
            ["oid"] = principal.ObjectId,
            ["sub"] = principal.ObjectId,
            ["tid"] = principal.TenantId,
            ["uti"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('='),
            ["ver"] = "1.0",
        };
        var token = new IssuedToken(
            signer.Sign(payload), principal.TenantId, principal.ClientId, principal.ObjectId, audience, expires);
        state.RecordIssuedToken(token);
        return token;
    }

    private static (string? ClientId, string? Secret) ReadBasicAuthorization(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            // RFC 6749 2.3.1: both parts are form-urlencoded before they are joined.
            return colon < 0
                ? (null, null)
                : (Uri.UnescapeDataString(text[..colon].Replace('+', ' ')),
                    Uri.UnescapeDataString(text[(colon + 1)..].Replace('+', ' ')));
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private static string? Value(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && !StringValues.IsNullOrEmpty(values) ? values.ToString() : null;

    private string TokenEndpointFor(string tenant) => $"{baseUri().AbsoluteUri}{tenant}/oauth2/v2.0/token";

    private async Task<GrantOutcome> AuthorizeAsync(
        HttpRequest request,
        IFormCollection form,
        string tenant,
        string tokenEndpoint,
        CancellationToken cancellationToken)
    {
        if (!state.TryResolveTenant(tenant, out var tenantId))
        {
            return GrantOutcome.Fail(EntraError.TenantNotFound(tenant));
        }

        var grantType = Value(form, "grant_type");
        if (grantType is null)
        {
            return GrantOutcome.Fail(EntraError.MissingParameter("grant_type"));
        }

        if (grantType != "client_credentials")
        {
            return GrantOutcome.Fail(EntraError.UnsupportedGrantType(grantType));
        }

        var basic = ReadBasicAuthorization(request);
        var clientId = Value(form, "client_id") ?? basic.ClientId;
        if (clientId is null)
        {
            return GrantOutcome.Fail(EntraError.MissingParameter("client_id"));
        }

        // A user-assigned identity signs in only with a federated assertion, by its client id.
        var principal = state.FindServicePrincipal(tenantId, clientId)
            ?? (Value(form, "client_assertion") is not null
                ? state.FindFederatedClient(tenantId, clientId)?.Principal
                : null);
        if (principal is null)
        {
            return GrantOutcome.Fail(EntraError.ApplicationNotFound(clientId, tenantId));
        }

        var (credentialError, authMethod) = await AuthenticateClientAsync(
            form, basic.Secret, principal, tokenEndpoint, cancellationToken);
        if (credentialError is not null)
        {
            return GrantOutcome.Fail(credentialError);
        }

        var scope = Value(form, "scope");
        if (scope is null)
        {
            return GrantOutcome.Fail(EntraError.MissingScope());
        }

        // Client credentials take exactly one "<resource>/.default" scope.
        if (scope.Contains(' ', StringComparison.Ordinal)
            || !scope.EndsWith(DefaultScopeSuffix, StringComparison.OrdinalIgnoreCase)
            || scope.Length == DefaultScopeSuffix.Length)
        {
            return GrantOutcome.Fail(EntraError.InvalidScope(scope));
        }

        return new GrantOutcome(null, principal, scope[..^DefaultScopeSuffix.Length], authMethod);
    }

    private async Task<(EntraError? Error, string AuthMethod)> AuthenticateClientAsync(
        IFormCollection form,
        string? basicSecret,
        ServicePrincipal principal,
        string tokenEndpoint,
        CancellationToken cancellationToken)
    {
        if (Value(form, "client_assertion") is { } assertion)
        {
            var error = await AuthenticateAssertionAsync(
                Value(form, "client_assertion_type"), assertion, principal, tokenEndpoint, cancellationToken);
            return (error, "2");
        }

        var secret = Value(form, "client_secret") ?? basicSecret;
        if (secret is null)
        {
            return (EntraError.MissingCredential(), "1");
        }

        var matches = principal.Secret is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(principal.Secret));
        return (matches ? null : EntraError.InvalidSecret(principal.ClientId), "1");
    }

    private async Task<EntraError?> AuthenticateAssertionAsync(
        string? assertionType,
        string assertion,
        ServicePrincipal principal,
        string tokenEndpoint,
        CancellationToken cancellationToken)
    {
        if (assertionType != JwtBearerAssertionType)
        {
            return EntraError.InvalidAssertionType(assertionType);
        }

        if (!JwtReader.TryParse(assertion, out var jwt))
        {
            return EntraError.MalformedAssertion();
        }

        // The app's own assertion names the app as issuer and subject; anything else is an external token.
        var issuer = jwt.GetString("iss") ?? "";
        var subject = jwt.GetString("sub") ?? "";
        return issuer == principal.ClientId && subject == principal.ClientId
            ? AuthenticateCertificate(jwt, principal, tokenEndpoint)
            : await AuthenticateFederatedAsync(jwt, principal, issuer, subject, cancellationToken);
    }

    private EntraError? AuthenticateCertificate(JwtReader jwt, ServicePrincipal principal, string tokenEndpoint)
    {
        // MSAL signs PS256 with x5t#S256 for Entra authorities and RS256 with x5t elsewhere; both are valid.
        var sha1 = jwt.Header["x5t"]?.GetValue<string>();
        var sha256 = jwt.Header["x5t#S256"]?.GetValue<string>();
        var certificate = principal.Certificates.FirstOrDefault(c =>
            (sha1 is not null && Base64Url.EncodeToString(c.GetCertHash()) == sha1)
            || (sha256 is not null
                && Base64Url.EncodeToString(c.GetCertHash(HashAlgorithmName.SHA256)) == sha256));
        if (certificate is null)
        {
            return EntraError.UnknownCertificate(sha256 ?? sha1 ?? "", principal.ClientId);
        }

        using var key = certificate.GetRSAPublicKey();
        if (key is null || !jwt.VerifySignature(key))
        {
            return EntraError.InvalidAssertionSignature();
        }

        if (!jwt.GetAudiences().Contains(tokenEndpoint, StringComparer.OrdinalIgnoreCase))
        {
            return EntraError.AssertionAudienceInvalid(string.Join(",", jwt.GetAudiences()), tokenEndpoint);
        }

        return CheckLifetime(jwt);
    }

    private async Task<EntraError?> AuthenticateFederatedAsync(
        JwtReader jwt,
        ServicePrincipal principal,
        string issuer,
        string subject,
        CancellationToken cancellationToken)
    {
        var credentials = state.FindFederatedClient(principal.TenantId, principal.ClientId)?.Credentials ?? [];
        var audiences = jwt.GetAudiences();
        var sameIssuer = credentials.Where(c => c.Issuer == issuer).ToList();
        if (sameIssuer.Count == 0)
        {
            return EntraError.NoMatchingFederatedIssuer(issuer, subject, string.Join(",", audiences));
        }

        // An issuer trusted with its key directly (the Azure DevOps stand-in, which publishes no discovery
        // document) skips discovery; every other issuer is discovered the way Entra does it.
        if (state.FindTrustedIssuer(issuer) is { } trusted)
        {
            if (!jwt.VerifySignature(trusted.Signer.PublicKey))
            {
                return EntraError.InvalidAssertionSignature();
            }
        }
        else
        {
            var keys = await DiscoverKeysAsync(issuer, cancellationToken);
            if (keys is null)
            {
                return EntraError.ExternalIssuerUnreachable(issuer);
            }

            var verified = keys.Where(k => jwt.KeyId is null || k.KeyId == jwt.KeyId)
                .Any(k => jwt.VerifySignature(k.Key));
            foreach (var key in keys)
            {
                key.Key.Dispose();
            }

            if (!verified)
            {
                return EntraError.InvalidAssertionSignature();
            }
        }

        if (CheckLifetime(jwt) is { } expired)
        {
            return expired;
        }

        // Issuer, subject and audience match a credential exactly: case and trailing slashes count.
        var sameSubject = sameIssuer.Where(c => c.Subject == subject).ToList();
        if (sameSubject.Count == 0)
        {
            return EntraError.NoMatchingFederatedSubject(issuer, subject, string.Join(",", audiences));
        }

        if (!sameSubject.Any(c => c.Audiences.Any(a => audiences.Contains(a, StringComparer.Ordinal))))
        {
            return EntraError.NoMatchingFederatedAudience(issuer, subject, string.Join(",", audiences));
        }

        // A matching credential that has not propagated yet looks, to Entra, like no credential at all.
        return state.TakePropagationFailure()
            ? EntraError.NoMatchingFederatedIssuer(issuer, subject, string.Join(",", audiences))
            : null;
    }

    /// <summary>
    /// The issuer's signing keys, fetched as Entra ID does: <c>{issuer}/.well-known/openid-configuration</c>,
    /// whose issuer must be the token's byte for byte, then its jwks_uri. Null when either cannot be had.
    /// </summary>
    private async Task<List<(string? KeyId, RSA Key)>?> DiscoverKeysAsync(
        string issuer,
        CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(issuer.TrimEnd('/') + "/.well-known/openid-configuration", UriKind.Absolute,
            out var configurationUri) || configurationUri.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        var configuration = await GetJsonAsync(configurationUri, cancellationToken);
        if (configuration?["issuer"]?.GetValueKind() != JsonValueKind.String
            || (string)configuration["issuer"]! != issuer
            || configuration["jwks_uri"]?.GetValueKind() != JsonValueKind.String
            || !Uri.TryCreate((string)configuration["jwks_uri"]!, UriKind.Absolute, out var jwksUri)
            || await GetJsonAsync(jwksUri, cancellationToken) is not { } jwks
            || jwks["keys"] is not JsonArray keys)
        {
            return null;
        }

        var found = new List<(string? KeyId, RSA Key)>();
        foreach (var key in keys.OfType<JsonObject>())
        {
            if ((string?)key["kty"] == "RSA" && (string?)key["n"] is { } n && (string?)key["e"] is { } e)
            {
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters
                {
                    Modulus = Base64Url.DecodeFromChars(n),
                    Exponent = Base64Url.DecodeFromChars(e),
                });
                found.Add(((string?)key["kid"], rsa));
            }
        }

        return found;
    }

    private async Task<JsonObject?> GetJsonAsync(Uri uri, CancellationToken cancellationToken)
    {
        if (await network.GetAsync(uri, cancellationToken) is not { Status: HttpStatusCode.OK } answer)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(answer.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private EntraError? CheckLifetime(JwtReader jwt)
    {
        var now = clock.UtcNow;
        var expires = jwt.GetTime("exp");
        var notBefore = jwt.GetTime("nbf");
        // Entra allows five minutes of clock skew on either side.
        return expires is null || expires.Value.AddMinutes(5) < now
            || (notBefore is { } nbf && nbf.AddMinutes(-5) > now)
            ? EntraError.AssertionOutsideLifetime(now, notBefore, expires)
            : null;
    }

    private sealed record GrantOutcome(
        EntraError? Error,
        ServicePrincipal? Principal,
        string? Audience,
        string AuthMethod)
    {
        public static GrantOutcome Fail(EntraError error) => new(error, null, null, "");
    }
}
