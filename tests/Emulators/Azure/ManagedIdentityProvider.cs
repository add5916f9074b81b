using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// Microsoft.ManagedIdentity: user-assigned identities (GET, PUT) and their federated identity credentials
/// (PUT, GET, LIST, DELETE), with the RP's validation order and its refusal of concurrent credential writes.
/// </summary>
internal sealed partial class ManagedIdentityProvider : ArmResourceProvider
{
    private const string IdentityType = "Microsoft.ManagedIdentity/userAssignedIdentities";
    private const string CredentialType = IdentityType + "/federatedIdentityCredentials";
    private const int MaxClaimLength = 600;

    public override string Namespace => "Microsoft.ManagedIdentity";

    public override IReadOnlyList<string> ApiVersions { get; } = ["2023-01-31", "2024-11-30", "2022-01-31-preview"];

    public override ArmOperation? Match(ArmRequest request)
    {
        var count = request.Segments.Count;
        if (!Is(request, 2, "resourceGroups") || !Is(request, 6, "userAssignedIdentities") || count < 8)
        {
            return null;
        }

        var group = request.Segments[3];
        if (count == 8)
        {
            return request.Method switch
            {
                "GET" => new ArmOperation(IdentityType + "/read", group, GetIdentityAsync),
                "PUT" => new ArmOperation(IdentityType + "/write", group, PutIdentityAsync),
                _ => MethodNotAllowed(IdentityType + "/write"),
            };
        }

        if (!Is(request, 8, "federatedIdentityCredentials") || count > 10)
        {
            return null;
        }

        if (count == 9)
        {
            return request.Method == "GET"
                ? new ArmOperation(CredentialType + "/read", group, ListCredentialsAsync)
                : MethodNotAllowed(CredentialType + "/write");
        }

        return request.Method switch
        {
            "GET" => new ArmOperation(CredentialType + "/read", group, GetCredentialAsync),
            "PUT" => new ArmOperation(CredentialType + "/write", group, PutCredentialAsync),
            "DELETE" => new ArmOperation(CredentialType + "/delete", group, DeleteCredentialAsync),
            _ => MethodNotAllowed(CredentialType + "/write"),
        };
    }

    [GeneratedRegex("^[a-zA-Z0-9]{1}[a-zA-Z0-9-_]{2,119}$")]
    private static partial Regex CredentialNamePattern();

    private static string IdentityKey(ArmRequest request) =>
        AzureState.Key(request.Segments[1], request.Segments[3], request.Segments[7]);

    private static JsonObject IdentityBody(UserAssignedIdentity identity, string apiVersion)
    {
        var tags = new JsonObject();
        foreach (var (key, value) in identity.Tags)
        {
            tags[key] = value;
        }

        var properties = new JsonObject
        {
            ["tenantId"] = identity.TenantId,
            ["principalId"] = identity.PrincipalId,
            ["clientId"] = identity.ClientId,
        };
        if (apiVersion == "2024-11-30")
        {
            properties["isolationScope"] = "None";
        }

        return new JsonObject
        {
            ["id"] = identity.Id,
            ["name"] = identity.Name,
            ["type"] = IdentityType,
            ["location"] = identity.Location,
            ["tags"] = tags,
            ["properties"] = properties,
        };
    }

    private static JsonObject CredentialBody(UserAssignedIdentity identity, FederatedCredential credential) => new()
    {
        ["id"] = $"{identity.Id}/federatedIdentityCredentials/{credential.Name}",
        ["name"] = credential.Name,
        ["type"] = CredentialType,
        ["properties"] = new JsonObject
        {
            ["issuer"] = credential.Issuer,
            ["subject"] = credential.Subject,
            ["audiences"] = new JsonArray([.. credential.Audiences.Select(a => (JsonNode?)a)]),
        },
    };

    private static Task IdentityNotFoundAsync(ArmRequest request, CancellationToken ct) => request.WriteErrorAsync(
        404,
        "ResourceNotFound",
        $"The Resource '{IdentityType}/{request.Segments[7]}' under resource group '{request.Segments[3]}' was not "
        + "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        ct);

    // The code is the emulator's choice; the message is the one the Entra docs list.
    private static Task ParentNotFoundAsync(ArmRequest request, CancellationToken ct) => request.WriteErrorAsync(
        404, "ParentResourceNotFound", "The parent user-assigned identity doesn't exist.", ct);

    /// <summary>
    /// The identity as the federated credential API sees it: null while one created through ARM has not
    /// replicated yet (<see cref="AzureState.NewIdentityVisibilityDelay"/>, or an injected failure).
    /// </summary>
    private static UserAssignedIdentity? VisibleToCredentials(AzureState state, UserAssignedIdentity? identity)
    {
        if (identity?.CreatedOn is not { } createdOn)
        {
            return identity;
        }

        var replicating = state.Clock.UtcNow - createdOn < state.NewIdentityVisibilityDelay;
        return replicating || state.TakeIdentityNotVisibleFailure() ? null : identity;
    }

    private static Task BadRequestAsync(ArmRequest request, string message, CancellationToken ct) =>
        request.WriteErrorAsync(400, "BadRequest", message, ct);

    private static Task GetIdentityAsync(ArmRequest request, CancellationToken ct)
    {
        UserAssignedIdentity? identity;
        lock (request.State.Gate)
        {
            identity = request.State.FindIdentityLocked(IdentityKey(request));
        }

        return identity is null
            ? IdentityNotFoundAsync(request, ct)
            : request.WriteJsonAsync(200, IdentityBody(identity, request.ApiVersion), ct);
    }

    private static async Task PutIdentityAsync(ArmRequest request, CancellationToken ct)
    {
        var body = await request.ReadJsonObjectAsync(ct);
        if (body is null)
        {
            return;
        }

        var location = AzureJson.String(body, "location");
        if (string.IsNullOrWhiteSpace(location))
        {
            await request.WriteErrorAsync(
                400, "LocationRequired", "The location property is required for this definition.", ct);
            return;
        }

        var tags = new Dictionary<string, string>();
        if (body["tags"] is JsonObject tagObject)
        {
            foreach (var (key, value) in tagObject)
            {
                tags[key] = value?.ToString() ?? "";
            }
        }

        UserAssignedIdentity identity;
        bool created;
        var state = request.State;
        lock (state.Gate)
        {
            var existing = state.FindIdentityLocked(IdentityKey(request));
            created = existing is null;
            if (existing is not null && !SameLocation(existing.Location, location))
            {
                identity = existing;
            }
            else
            {
                var group = state.FindResourceGroup(request.Segments[1], request.Segments[3])!;
                identity = (existing ?? new UserAssignedIdentity(
                    request.Segments[1],
                    group.Name,
                    request.Segments[7],
                    location,
                    Guid.NewGuid().ToString(),
                    Guid.NewGuid().ToString(),
                    request.Principal.TenantId) { CreatedOn = state.Clock.UtcNow }) with { Tags = tags };
                state.PutIdentityLocked(identity);
            }
        }

        if (!SameLocation(identity.Location, location))
        {
            await request.WriteErrorAsync(
                400,
                "InvalidResourceLocation",
                $"The resource '{identity.Name}' already exists in location '{identity.Location}' in resource group "
                + $"'{identity.ResourceGroup}'. A resource with the same name cannot be created in location "
                + $"'{location}'. Please select a new resource name.",
                ct);
            return;
        }

        if (created)
        {
            request.Context.Response.Headers.Location = identity.Id;
        }

        await request.WriteJsonAsync(created ? 201 : 200, IdentityBody(identity, request.ApiVersion), ct);
    }

    private static bool SameLocation(string a, string b) => string.Equals(
        a.Replace(" ", "", StringComparison.Ordinal),
        b.Replace(" ", "", StringComparison.Ordinal),
        StringComparison.OrdinalIgnoreCase);

    private static async Task GetCredentialAsync(ArmRequest request, CancellationToken ct)
    {
        var name = request.Segments[9];
        if (!CredentialNamePattern().IsMatch(name))
        {
            await BadRequestAsync(request, $"Federated Identity Credential name '{name}' is invalid.", ct);
            return;
        }

        UserAssignedIdentity? identity;
        FederatedCredential? credential = null;
        lock (request.State.Gate)
        {
            identity = VisibleToCredentials(request.State, request.State.FindIdentityLocked(IdentityKey(request)));
            if (identity is not null)
            {
                credential = request.State.CredentialsLocked(IdentityKey(request)).FirstOrDefault(
                    c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            }
        }

        if (identity is null)
        {
            await ParentNotFoundAsync(request, ct);
        }
        else if (credential is null)
        {
            await request.WriteErrorAsync(
                404,
                "ResourceNotFound",
                $"The Resource '{CredentialType}/{name}' under resource group '{request.Segments[3]}' was not "
                + "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
                ct);
        }
        else
        {
            await request.WriteJsonAsync(200, CredentialBody(identity, credential), ct);
        }
    }

    private static async Task ListCredentialsAsync(ArmRequest request, CancellationToken ct)
    {
        var topText = request.Query("$top");
        var top = 0;
        if (topText is not null
            && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top < 1))
        {
            await BadRequestAsync(request, $"The value '{topText}' of the query parameter '$top' is invalid.", ct);
            return;
        }

        var skipText = request.Query("$skipToken");
        var skip = 0;
        if (skipText is not null && !TryDecodeSkipToken(skipText, out skip))
        {
            await BadRequestAsync(request, $"The skip token '{skipText}' is invalid.", ct);
            return;
        }

        UserAssignedIdentity? identity;
        FederatedCredential[] all = [];
        lock (request.State.Gate)
        {
            identity = VisibleToCredentials(request.State, request.State.FindIdentityLocked(IdentityKey(request)));
            if (identity is not null)
            {
                all = [.. request.State.CredentialsLocked(IdentityKey(request))];
            }
        }

        if (identity is null)
        {
            await ParentNotFoundAsync(request, ct);
            return;
        }

        var pageSize = top > 0 ? top : Math.Max(1, request.State.FederatedCredentialPageSize);
        var page = all.Skip(skip).Take(pageSize).ToArray();
        var body = new JsonObject
        {
            ["value"] = new JsonArray([.. page.Select(c => (JsonNode)CredentialBody(identity, c))]),
        };
        if (skip + page.Length < all.Length)
        {
            var next = new StringBuilder()
                .Append(request.BaseUri.AbsoluteUri.TrimEnd('/'))
                .Append(identity.Id)
                .Append("/federatedIdentityCredentials?api-version=")
                .Append(Uri.EscapeDataString(request.ApiVersion));
            if (top > 0)
            {
                next.Append("&$top=").Append(top.ToString(CultureInfo.InvariantCulture));
            }

            next.Append("&$skipToken=").Append(EncodeSkipToken(skip + page.Length));
            body["nextLink"] = next.ToString();
        }

        await request.WriteJsonAsync(200, body, ct);
    }

    private static string EncodeSkipToken(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{offset}")).TrimEnd('=');

    private static bool TryDecodeSkipToken(string token, out int offset)
    {
        offset = 0;
        try
        {
            var padded = token + new string('=', (4 - (token.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("offset:", StringComparison.Ordinal)
                && int.TryParse(text["offset:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static async Task PutCredentialAsync(ArmRequest request, CancellationToken ct)
    {
        var state = request.State;
        var name = request.Segments[9];
        var key = IdentityKey(request);

        // 1. Name pattern.
        if (!CredentialNamePattern().IsMatch(name))
        {
            await BadRequestAsync(request, $"Federated Identity Credential name '{name}' is invalid.", ct);
            return;
        }

        // 2. Parent identity, and whether its region hosts credentials at all.
        UserAssignedIdentity? identity;
        lock (state.Gate)
        {
            identity = VisibleToCredentials(state, state.FindIdentityLocked(key));
        }

        if (identity is null)
        {
            await ParentNotFoundAsync(request, ct);
            return;
        }

        if (!state.SupportsFederatedCredentials(identity.Location))
        {
            await RegionNotSupportedAsync(request, ct);
            return;
        }

        // 3. Body fields.
        var body = await request.ReadJsonObjectAsync(ct);
        if (body is null)
        {
            return;
        }

        var (credential, problem) = ParseCredential(name, body);
        if (credential is null)
        {
            await BadRequestAsync(request, problem!, ct);
            return;
        }

        // 4-6. Duplicate pair, limit and concurrent writes, checked and claimed atomically.
        bool created;
        lock (state.Gate)
        {
            var existing = state.CredentialsLocked(key);
            created = !existing.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (existing.Any(c => !string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)
                && c.Issuer == credential.Issuer && c.Subject == credential.Subject))
            {
                problem = "Issuer and subject combination already exists for this Managed Identity.";
            }
            else if (created && existing.Count >= state.MaxFederatedCredentialsPerIdentity)
            {
                // The code and message are the emulator's; the limit is the documented one.
                problem = $"The managed identity '{MessageId(identity)}' already has the maximum of "
                    + $"{state.MaxFederatedCredentialsPerIdentity} federated identity credentials.";
            }
            else if (!state.TryBeginCredentialWriteLocked(key))
            {
                problem = "";
            }
        }

        if (problem is not null)
        {
            await (problem.Length == 0
                ? ConcurrentWriteAsync(request, identity, ct)
                : BadRequestAsync(request, problem, ct));
            return;
        }

        try
        {
            await Task.Delay(state.FederatedCredentialWriteDuration, ct);
            lock (state.Gate)
            {
                created = state.SetFederatedCredentialLocked(key, credential);
                credential = state.CredentialsLocked(key).First(
                    c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            }
        }
        finally
        {
            lock (state.Gate)
            {
                state.EndCredentialWriteLocked(key);
            }
        }

        var result = CredentialBody(identity, credential);
        if (created)
        {
            request.Context.Response.Headers.Location = result["id"]!.GetValue<string>();
        }

        await request.WriteJsonAsync(created ? 201 : 200, result, ct);
    }

    private static (FederatedCredential? Credential, string? Problem) ParseCredential(string name, JsonObject body)
    {
        if (body["properties"] is not JsonObject properties || properties.Count == 0)
        {
            return (null, "Federated Identity Credential from HTTP body has empty properties");
        }

        var issuer = AzureJson.String(properties, "issuer");
        var subject = AzureJson.String(properties, "subject");
        if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(subject)
            || properties["audiences"] is not JsonArray audienceArray)
        {
            return (null, "The request format was unexpected. Federated Identity Credential must specify "
                + "'issuer', 'subject' and 'audience'.");
        }

        if (audienceArray.Count != 1 || audienceArray[0] is not JsonValue audienceValue
            || !audienceValue.TryGetValue<string>(out var audience))
        {
            return (null, "Federated identity credentials must have exactly one audience.");
        }

        // The messages below are the emulator's: the limits are documented, the real texts are not.
        if (issuer.Length > MaxClaimLength || subject.Length > MaxClaimLength || audience.Length > MaxClaimLength)
        {
            return (null, $"Federated identity credential 'issuer', 'subject' and 'audiences' are limited to "
                + $"{MaxClaimLength} characters.");
        }

        if (issuer.Trim() != issuer
            || !Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri)
            || issuerUri.Scheme != Uri.UriSchemeHttps)
        {
            return (null, $"The issuer '{issuer}' of federated identity credential '{name}' must be an https URL.");
        }

        if (audience != AzureState.TokenExchangeAudience)
        {
            return (null, $"The audience '{audience}' of federated identity credential '{name}' is not supported. "
                + $"Use '{AzureState.TokenExchangeAudience}'.");
        }

        return (new FederatedCredential(name, issuer, subject, [audience]), null);
    }

    private static async Task DeleteCredentialAsync(ArmRequest request, CancellationToken ct)
    {
        var state = request.State;
        var name = request.Segments[9];
        var key = IdentityKey(request);
        if (!CredentialNamePattern().IsMatch(name))
        {
            await BadRequestAsync(request, $"Federated Identity Credential name '{name}' is invalid.", ct);
            return;
        }

        UserAssignedIdentity? identity;
        var claimed = false;
        lock (state.Gate)
        {
            identity = VisibleToCredentials(state, state.FindIdentityLocked(key));
            if (identity is not null)
            {
                claimed = state.TryBeginCredentialWriteLocked(key);
            }
        }

        if (identity is null)
        {
            await ParentNotFoundAsync(request, ct);
            return;
        }

        if (!claimed)
        {
            await ConcurrentWriteAsync(request, identity, ct);
            return;
        }

        bool removed;
        try
        {
            await Task.Delay(state.FederatedCredentialWriteDuration, ct);
            lock (state.Gate)
            {
                removed = state.CredentialsLocked(key).RemoveAll(
                    c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) > 0;
            }
        }
        finally
        {
            lock (state.Gate)
            {
                state.EndCredentialWriteLocked(key);
            }
        }

        await request.WriteEmptyAsync(removed ? 200 : 204);
    }

    private static Task ConcurrentWriteAsync(ArmRequest request, UserAssignedIdentity identity, CancellationToken ct) =>
        request.WriteErrorAsync(
            409,
            "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
            "Too many Federated Identity Credentials are written concurrently for the managed identity "
            + $"'{MessageId(identity)}'. Concurrent Federated Identity Credentials writes under the same "
            + "managed identity are not supported.",
            ct);

    // The RP's messages spell the provider and type in lower case but keep the names' case.
    private static string MessageId(UserAssignedIdentity identity) =>
        $"/subscriptions/{identity.SubscriptionId}/resourcegroups/{identity.ResourceGroup}"
        + $"/providers/microsoft.managedidentity/userassignedidentities/{identity.Name}";

    // The status and message are documented; the code is the emulator's choice.
    private static Task RegionNotSupportedAsync(ArmRequest request, CancellationToken ct) => request.WriteErrorAsync(
        405,
        "BadRequest",
        "The request format was unexpected: Support for federated identity credentials not enabled.",
        ct);
}
