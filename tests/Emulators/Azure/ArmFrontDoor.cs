using System.Globalization;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using Microsoft.AspNetCore.Http;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// What ARM does before a resource provider sees a request, in ARM's order: common headers, bearer token,
/// api-version, routing, subscription and tenant, RBAC, resource group. Then the provider answers.
/// </summary>
internal sealed class ArmFrontDoor(AzureState state, JwtSigner signer, Func<Uri> baseUri, EmulatorClock clock)
{
    public const string JsonContentType = "application/json; charset=utf-8";

    private readonly ArmResourceProvider[] _providers =
    [
        new ManagedIdentityProvider(),
        new ContainerServiceProvider(),
        new AuthorizationProvider(),
        new ResourcesProvider(),
    ];

    private int _remainingReads = 12000;
    private int _remainingWrites = 1200;
    private int _remainingDeletes = 15000;

    public static JsonObject ErrorBody(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        AddCommonHeaders(context);
        var segments = (context.Request.Path.Value ?? "")
            .Split('/', StringSplitOptions.RemoveEmptyEntries);

        var (principal, failure) = Authenticate(context.Request);
        if (principal is null)
        {
            await WriteUnauthorizedAsync(context, failure!.Value.Code, failure.Value.Message, null);
            return;
        }

        var apiVersion = context.Request.Query["api-version"].FirstOrDefault();
        if (string.IsNullOrEmpty(apiVersion))
        {
            await WriteErrorAsync(
                context,
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.");
            return;
        }

        // ARM routes to the namespace after the last "providers": an extension resource such as a role
        // assignment on a vault (…/providers/Microsoft.KeyVault/vaults/v/providers/Microsoft.Authorization/…)
        // goes to Microsoft.Authorization.
        var providersAt = LastProvidersIndex(segments);
        var providerNamespace = providersAt >= 0 ? segments[providersAt + 1] : "Microsoft.Resources";
        var provider = _providers.FirstOrDefault(
            p => string.Equals(p.Namespace, providerNamespace, StringComparison.OrdinalIgnoreCase));
        if (provider is null)
        {
            await WriteErrorAsync(
                context,
                400,
                "InvalidResourceNamespace",
                $"The resource namespace '{providerNamespace}' is invalid.");
            return;
        }

        var request = new ArmRequest(context, segments, apiVersion, principal, state, baseUri());
        var resourceType = providersAt >= 0 && segments.Length > providersAt + 2
            ? segments[providersAt + 2]
            : "resourceGroups";
        var operation = provider.Match(request);
        if (operation is null)
        {
            await WriteErrorAsync(
                context,
                404,
                "InvalidResourceType",
                $"The resource type '{resourceType}' could not be found in the namespace '{provider.Namespace}' "
                + $"for api version '{apiVersion}'.");
            return;
        }

        if (!provider.ApiVersions.Contains(apiVersion, StringComparer.OrdinalIgnoreCase))
        {
            var location = segments.Length > 3
                ? state.FindResourceGroup(segments[1], segments[3])?.Location ?? "global"
                : "global";
            await WriteErrorAsync(
                context,
                400,
                "NoRegisteredProviderFound",
                $"No registered resource provider found for location '{location}' and API version '{apiVersion}' "
                + $"for type '{resourceType}'. The supported api-versions are "
                + $"'{string.Join(", ", provider.ApiVersions)}'. The supported locations are "
                + "'eastus, eastus2, westus, westus2, westus3, centralus, northeurope, westeurope, uksouth, "
                + "swedencentral, australiaeast, japaneast, malaysiasouth, newzealandnorth'.");
            return;
        }

        if (segments.Length > 1)
        {
            var subscription = state.FindSubscription(segments[1]);
            if (subscription is null)
            {
                await WriteErrorAsync(
                    context, 404, "SubscriptionNotFound", $"The subscription '{segments[1]}' could not be found.");
                return;
            }

            if (subscription.TenantId is { } tenantId
                && !string.Equals(tenantId, principal.TenantId, StringComparison.OrdinalIgnoreCase))
            {
                await WriteUnauthorizedAsync(
                    context,
                    "InvalidAuthenticationTokenTenant",
                    $"The access token is from the wrong issuer '{principal.Issuer}'. It must match the tenant "
                    + $"'{EntraTokenEndpoint.IssuerFor(tenantId)}' associated with this subscription. Please use "
                    + $"the authority (URL) '{baseUri().AbsoluteUri}{tenantId}' to get the token. Note, if the "
                    + "subscription is transferred to another tenant there is no impact to the services, but "
                    + "information about new tenant could take time to propagate (up to an hour). If you just "
                    + "transferred your subscription and see this error message, please try back later.",
                    tenantId);
                return;
            }
        }

        if (!state.IsAuthorized(principal.ObjectId, principal.ClientId, operation.Action, request.Path))
        {
            await WriteErrorAsync(
                context,
                403,
                "AuthorizationFailed",
                $"The client '{principal.ClientId}' with object id '{principal.ObjectId}' does not have "
                + $"authorization to perform action '{operation.Action}' over scope '{request.Path}' or the "
                + "scope is invalid. If access was recently granted, please refresh your credentials.");
            return;
        }

        // Actions that only read (listClusterUserCredential) are POSTs but change nothing.
        if (context.Request.Method is "PUT" or "PATCH" or "POST" or "DELETE"
            && !operation.Action.EndsWith("/action", StringComparison.OrdinalIgnoreCase))
        {
            state.CountArmWrite();
        }

        if (operation.ResourceGroup is { } group && state.FindResourceGroup(segments[1], group) is null)
        {
            await WriteErrorAsync(
                context, 404, "ResourceGroupNotFound", $"Resource group '{group}' could not be found.");
            return;
        }

        await operation.ExecuteAsync(request, ct);
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonContentType;
        return context.Response.WriteAsync(
            ErrorBody(code, message).ToJsonString(AzureJson.Options), context.RequestAborted);
    }

    private static int LastProvidersIndex(string[] segments)
    {
        for (var i = segments.Length - 2; i >= 2; i--)
        {
            if (string.Equals(segments[i], "providers", StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static int Decrement(ref int counter) => Math.Max(0, Interlocked.Decrement(ref counter));

    private void AddCommonHeaders(HttpContext context)
    {
        var request = context.Request;
        var headers = context.Response.Headers;
        var requestId = Guid.NewGuid().ToString();
        headers.CacheControl = "no-cache";
        headers.Pragma = "no-cache";
        headers.Expires = "-1";
        headers["x-content-type-options"] = "nosniff";
        headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        headers["x-ms-request-id"] = requestId;
        headers["x-ms-correlation-request-id"] =
            request.Headers["x-ms-correlation-request-id"].FirstOrDefault() is { Length: > 0 } correlation
                ? correlation
                : Guid.NewGuid().ToString();
        headers["x-ms-routing-request-id"] = string.Create(
            CultureInfo.InvariantCulture, $"EASTUS:{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}:{requestId}");
        if (request.Headers.TryGetValue("x-ms-client-request-id", out var clientRequestId))
        {
            headers["x-ms-client-request-id"] = clientRequestId;
        }

        switch (request.Method)
        {
            case "GET" or "HEAD":
                headers["x-ms-ratelimit-remaining-subscription-reads"] =
                    Decrement(ref _remainingReads).ToString(CultureInfo.InvariantCulture);
                break;
            case "DELETE":
                headers["x-ms-ratelimit-remaining-subscription-deletes"] =
                    Decrement(ref _remainingDeletes).ToString(CultureInfo.InvariantCulture);
                break;
            default:
                headers["x-ms-ratelimit-remaining-subscription-writes"] =
                    Decrement(ref _remainingWrites).ToString(CultureInfo.InvariantCulture);
                break;
        }
    }

    private (ArmPrincipal? Principal, (string Code, string Message)? Failure) Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return (null, ("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."));
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, ("AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is provided in an invalid format."));
        }

        if (!JwtReader.TryParse(header["Bearer ".Length..].Trim(), out var jwt)
            || jwt.Algorithm != "RS256"
            || jwt.KeyId != signer.KeyId
            || !jwt.VerifySignature(signer.PublicKey))
        {
            return (null, ("InvalidAuthenticationToken", "The access token is invalid."));
        }

        var now = clock.UtcNow;
        if (jwt.GetTime("exp") is not { } expires || expires <= now)
        {
            var format = "MM/dd/yyyy HH:mm:ss";
            return (null, ("ExpiredAuthenticationToken",
                "The access token expiry UTC time '"
                + (jwt.GetTime("exp")?.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) ?? "")
                + "' is earlier than current UTC time '"
                + now.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) + "'."));
        }

        if (jwt.GetTime("nbf") is { } notBefore && notBefore > now.AddMinutes(5))
        {
            return (null, ("InvalidAuthenticationToken", "The access token is not yet valid."));
        }

        var audiences = jwt.GetAudiences();
        var allowed = state.ResourceManagerAudiences;
        if (!audiences.Any(a => allowed.Contains(a, StringComparer.OrdinalIgnoreCase)))
        {
            return (null, ("InvalidAuthenticationTokenAudience",
                $"The access token has been obtained for wrong audience or resource '{string.Join(",", audiences)}'. "
                + "It should exactly match with one of the allowed audiences "
                + string.Join(",", allowed.Select(a => $"'{a}'")) + "."));
        }

        var tenantId = jwt.GetString("tid");
        var objectId = jwt.GetString("oid");
        var clientId = jwt.GetString("appid") ?? jwt.GetString("azp");
        var issuer = jwt.GetString("iss");
        if (tenantId is null || objectId is null || clientId is null || issuer is null)
        {
            return (null, ("InvalidAuthenticationToken",
                "The received access token is not valid: at least one of the claims 'tid', 'oid' or 'appid' "
                + "is missing."));
        }

        return (new ArmPrincipal(tenantId, objectId, clientId, issuer), null);
    }

    private Task WriteUnauthorizedAsync(HttpContext context, string code, string message, string? tenantId)
    {
        // Real ARM points authorization_uri at the public login host; the emulator points at itself so that a
        // client following the challenge stays on loopback.
        var authority = baseUri().AbsoluteUri + (tenantId ?? "");
        context.Response.Headers.WWWAuthenticate =
            $"Bearer authorization_uri=\"{authority}\", error=\"invalid_token\", "
            + $"error_description=\"{message.Replace("\"", "'", StringComparison.Ordinal)}\"";
        return WriteErrorAsync(context, 401, code, message);
    }
}
