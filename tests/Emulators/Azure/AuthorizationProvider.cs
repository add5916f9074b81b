using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// Microsoft.Authorization as an extension resource at any scope (subscription, resource group or resource):
/// role definitions (LIST with <c>$filter</c>, GET) and role assignments (PUT, GET, LIST, DELETE), with the
/// RP's answers for an existing assignment, an update and a principal the directory does not know yet.
/// </summary>
/// <remarks>
/// A scope below a resource group is not checked for existence (ARM resolves it through the resource's own
/// provider, which the emulator does not host); a role assignment LIST returns one page without nextLink.
/// </remarks>
internal sealed partial class AuthorizationProvider : ArmResourceProvider
{
    private const string AssignmentType = "Microsoft.Authorization/roleAssignments";
    private const string DefinitionType = "Microsoft.Authorization/roleDefinitions";

    private static readonly string[] PrincipalTypes = ["User", "Group", "ServicePrincipal", "ForeignGroup", "Device"];

    public override string Namespace => "Microsoft.Authorization";

    public override IReadOnlyList<string> ApiVersions { get; } =
        ["2022-04-01", "2022-05-01-preview", "2020-04-01-preview", "2018-01-01-preview", "2015-07-01"];

    public override ArmOperation? Match(ArmRequest request)
    {
        var at = ProvidersIndex(request.Segments);
        var count = request.Segments.Count;
        if (at < 0 || count < at + 3 || count > at + 4)
        {
            return null;
        }

        var group = Is(request, 2, "resourceGroups") && at >= 4 ? request.Segments[3] : null;
        var single = count == at + 4;
        if (string.Equals(request.Segments[at + 2], "roleDefinitions", StringComparison.OrdinalIgnoreCase))
        {
            const string read = DefinitionType + "/read";
            return request.Method != "GET" ? MethodNotAllowed(DefinitionType + "/write")
                : single ? new ArmOperation(read, group, GetDefinitionAsync)
                : new ArmOperation(read, group, ListDefinitionsAsync);
        }

        if (!string.Equals(request.Segments[at + 2], "roleAssignments", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!single)
        {
            return request.Method == "GET"
                ? new ArmOperation(AssignmentType + "/read", group, ListAssignmentsAsync)
                : MethodNotAllowed(AssignmentType + "/write");
        }

        return request.Method switch
        {
            "GET" => new ArmOperation(AssignmentType + "/read", group, GetAssignmentAsync),
            "PUT" => new ArmOperation(AssignmentType + "/write", group, PutAssignmentAsync),
            "DELETE" => new ArmOperation(AssignmentType + "/delete", group, DeleteAssignmentAsync),
            _ => MethodNotAllowed(AssignmentType + "/write"),
        };
    }

    [GeneratedRegex(@"^\s*(\w+)\s+eq\s+'((?:[^']|'')*)'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex EqualsFilter();

    [GeneratedRegex(
        @"^(?:/subscriptions/(?<sub>[0-9a-fA-F-]{36}))?/providers/Microsoft\.Authorization/roleDefinitions/"
        + @"(?<guid>[0-9a-fA-F-]{36})$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleDefinitionId();

    /// <summary>The index of the last "providers" segment that names Microsoft.Authorization, or -1.</summary>
    private static int ProvidersIndex(IReadOnlyList<string> segments)
    {
        for (var i = segments.Count - 2; i >= 2; i--)
        {
            if (string.Equals(segments[i], "providers", StringComparison.OrdinalIgnoreCase))
            {
                return string.Equals(segments[i + 1], "Microsoft.Authorization", StringComparison.OrdinalIgnoreCase)
                    ? i
                    : -1;
            }
        }

        return -1;
    }

    private static string Scope(ArmRequest request) =>
        "/" + string.Join('/', request.Segments.Take(ProvidersIndex(request.Segments)));

    private static string DefinitionId(string scope, string guid)
    {
        var subscription = scope.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"/subscriptions/{subscription}/providers/{DefinitionType}/{guid}";
    }

    private static bool Covers(string outer, string inner) =>
        inner.Equals(outer, StringComparison.OrdinalIgnoreCase)
        || inner.StartsWith(outer.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase);

    private static JsonObject DefinitionBody(string scope, RoleDefinition role) => new()
    {
        ["properties"] = new JsonObject
        {
            ["roleName"] = role.RoleName,
            ["type"] = role.Type,
            ["description"] = role.Description,
            ["assignableScopes"] = new JsonArray([.. role.AssignableScopes.Select(s => (JsonNode?)s)]),
            ["permissions"] = new JsonArray(new JsonObject
            {
                ["actions"] = new JsonArray([.. role.Actions.Select(a => (JsonNode?)a)]),
                ["notActions"] = new JsonArray(),
                ["dataActions"] = new JsonArray([.. role.DataActions.Select(a => (JsonNode?)a)]),
                ["notDataActions"] = new JsonArray(),
            }),
            ["createdOn"] = "2015-02-02T21:55:09.8806423Z",
            ["updatedOn"] = "2021-11-11T20:13:47.8628684Z",
            ["createdBy"] = null,
            ["updatedBy"] = null,
        },
        ["id"] = DefinitionId(scope, role.Name),
        ["type"] = DefinitionType,
        ["name"] = role.Name,
    };

    private static JsonObject AssignmentBody(RoleAssignment assignment)
    {
        var created = assignment.CreatedOn.UtcDateTime.ToString(
            "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = DefinitionId(assignment.Scope, assignment.RoleDefinitionName),
                ["principalId"] = assignment.PrincipalId,
                ["principalType"] = assignment.PrincipalType ?? "ServicePrincipal",
                ["scope"] = assignment.Scope,
                ["condition"] = null,
                ["conditionVersion"] = null,
                ["createdOn"] = created,
                ["updatedOn"] = created,
                ["createdBy"] = assignment.CreatedBy,
                ["updatedBy"] = assignment.CreatedBy,
                ["delegatedManagedIdentityResourceId"] = null,
                ["description"] = null,
            },
            ["id"] = assignment.Id,
            ["type"] = AssignmentType,
            ["name"] = assignment.Name,
        };
    }

    private static Task BadRequestAsync(ArmRequest request, string code, string message, CancellationToken ct) =>
        request.WriteErrorAsync(400, code, message, ct);

    private static Task RoleDefinitionMissingAsync(ArmRequest request, string guid, CancellationToken ct) =>
        request.WriteErrorAsync(
            404, "RoleDefinitionDoesNotExist", $"The specified role definition with ID '{guid}' does not exist.", ct);

    private static bool AssignableAt(RoleDefinition role, string scope) =>
        role.AssignableScopes.Any(s => s == "/" || Covers(s, scope));

    private static Task ListDefinitionsAsync(ArmRequest request, CancellationToken ct)
    {
        var scope = Scope(request);
        var filter = request.Query("$filter");
        Func<RoleDefinition, bool> keep = _ => true;
        if (!string.IsNullOrWhiteSpace(filter))
        {
            var match = EqualsFilter().Match(filter);
            var wanted = match.Groups[2].Value.Replace("''", "'", StringComparison.Ordinal);
            var field = match.Success ? match.Groups[1].Value : "";
            if (field.Equals("roleName", StringComparison.OrdinalIgnoreCase))
            {
                // The whole name must match (no substring), ignoring case: az's "--role contributor" works.
                keep = r => string.Equals(r.RoleName, wanted, StringComparison.OrdinalIgnoreCase);
            }
            else if (field.Equals("type", StringComparison.OrdinalIgnoreCase))
            {
                keep = r => string.Equals(r.Type, wanted, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                // The message is the emulator's; ARM supports these two filters for role definitions.
                return BadRequestAsync(
                    request,
                    "InvalidFilter",
                    $"The filter '{filter}' is not supported. Use roleName eq '{{name}}' or type eq '{{type}}'.",
                    ct);
            }
        }

        IReadOnlyList<RoleDefinition> roles;
        lock (request.State.Gate)
        {
            roles = request.State.RoleDefinitionsLocked();
        }

        var value = new JsonArray(
            [.. roles.Where(r => AssignableAt(r, scope) && keep(r)).Select(r => (JsonNode)DefinitionBody(scope, r))]);
        return request.WriteJsonAsync(200, new JsonObject { ["value"] = value }, ct);
    }

    private static Task GetDefinitionAsync(ArmRequest request, CancellationToken ct)
    {
        var scope = Scope(request);
        var guid = request.Segments[^1];
        RoleDefinition? role;
        lock (request.State.Gate)
        {
            role = request.State.FindRoleDefinitionLocked(guid);
        }

        return role is null || !AssignableAt(role, scope)
            ? RoleDefinitionMissingAsync(request, guid, ct)
            : request.WriteJsonAsync(200, DefinitionBody(scope, role), ct);
    }

    private static async Task PutAssignmentAsync(ArmRequest request, CancellationToken ct)
    {
        var state = request.State;
        var scope = Scope(request);
        var name = request.Segments[^1];
        if (!Guid.TryParseExact(name, "D", out _))
        {
            // The message is the emulator's; ARM requires a GUID name.
            await BadRequestAsync(
                request,
                "InvalidRoleAssignmentId",
                $"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.",
                ct);
            return;
        }

        var body = await request.ReadJsonObjectAsync(ct);
        if (body is null)
        {
            return;
        }

        var properties = body["properties"] as JsonObject;
        var definitionId = AzureJson.String(properties, "roleDefinitionId") ?? "";
        var principalId = AzureJson.String(properties, "principalId");
        var principalType = AzureJson.String(properties, "principalType");
        var idMatch = RoleDefinitionId().Match(definitionId);
        if (!idMatch.Success)
        {
            await BadRequestAsync(
                request, "InvalidRoleDefinitionId", $"The role definition ID '{definitionId}' is not valid.", ct);
            return;
        }

        if (!Guid.TryParseExact(principalId, "D", out _))
        {
            await BadRequestAsync(
                request, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment.", ct);
            return;
        }

        if (principalType is not null && !PrincipalTypes.Contains(principalType, StringComparer.OrdinalIgnoreCase))
        {
            // The message is the emulator's.
            await BadRequestAsync(
                request,
                "InvalidPrincipalType",
                $"The principal type '{principalType}' is not valid. Use one of {string.Join(", ", PrincipalTypes)}.",
                ct);
            return;
        }

        var roleGuid = idMatch.Groups["guid"].Value;
        RoleAssignmentDecision decision;
        RoleAssignment? result = null;
        lock (state.Gate)
        {
            decision = Decide(request, scope, name, roleGuid, principalId!, principalType, ref result);
        }

        switch (decision)
        {
            case RoleAssignmentDecision.Created or RoleAssignmentDecision.Unchanged:
                await request.WriteJsonAsync(
                    decision == RoleAssignmentDecision.Created ? 201 : 200, AssignmentBody(result!), ct);
                break;
            case RoleAssignmentDecision.RoleMissing:
                await BadRequestAsync(
                    request,
                    "RoleDefinitionDoesNotExist",
                    $"The specified role definition with ID '{roleGuid}' does not exist.",
                    ct);
                break;
            case RoleAssignmentDecision.Exists:
                await request.WriteErrorAsync(409, "RoleAssignmentExists", "The role assignment already exists.", ct);
                break;
            case RoleAssignmentDecision.UpdateNotPermitted:
                await BadRequestAsync(
                    request,
                    "RoleAssignmentUpdateNotPermitted",
                    "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
                    ct);
                break;
            default:
                // ARM prints the principal id without dashes.
                await BadRequestAsync(
                    request,
                    "PrincipalNotFound",
                    $"Principal {principalId!.Replace("-", "", StringComparison.Ordinal)} does not exist in the "
                    + $"directory {request.Principal.TenantId}. Check that you have the correct principal ID. If you "
                    + "are creating this principal and then immediately assigning a role, this error might be "
                    + "related to a replication delay. In this case, set the role assignment principalType "
                    + "property to a value, such as ServicePrincipal, User, or Group.  See "
                    + "https://aka.ms/docs-principaltype",
                    ct);
                break;
        }
    }

    /// <summary>The RP's decision for a role assignment PUT; the caller holds the state's lock.</summary>
    private static RoleAssignmentDecision Decide(
        ArmRequest request,
        string scope,
        string name,
        string roleGuid,
        string principalId,
        string? principalType,
        ref RoleAssignment? result)
    {
        var state = request.State;
        var role = state.FindRoleDefinitionLocked(roleGuid);
        if (role is null || !AssignableAt(role, scope))
        {
            return RoleAssignmentDecision.RoleMissing;
        }

        var assignments = state.RoleAssignmentsLocked();
        var sameName = assignments.FirstOrDefault(
            a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                && a.Scope.Equals(scope, StringComparison.OrdinalIgnoreCase));
        if (sameName is not null)
        {
            result = sameName;
            var same = sameName.PrincipalId.Equals(principalId, StringComparison.OrdinalIgnoreCase)
                && sameName.RoleDefinitionName.Equals(roleGuid, StringComparison.OrdinalIgnoreCase);
            return same ? RoleAssignmentDecision.Unchanged : RoleAssignmentDecision.UpdateNotPermitted;
        }

        if (assignments.Any(a => a.Scope.Equals(scope, StringComparison.OrdinalIgnoreCase)
            && a.PrincipalId.Equals(principalId, StringComparison.OrdinalIgnoreCase)
            && a.RoleDefinitionName.Equals(roleGuid, StringComparison.OrdinalIgnoreCase)))
        {
            return RoleAssignmentDecision.Exists;
        }

        // Azure looks the principal up only when no principalType is given; that lookup is what replication
        // delays break. Injected failures model the rarer misses that happen even with a principalType.
        if (state.TakePrincipalNotFoundFailure())
        {
            return RoleAssignmentDecision.PrincipalNotFound;
        }

        if (principalType is null)
        {
            var known = state.TryFindPrincipalLocked(principalId, out var createdOn);
            if (!known || (createdOn is { } at && state.Clock.UtcNow - at < state.PrincipalReplicationDelay))
            {
                return RoleAssignmentDecision.PrincipalNotFound;
            }
        }

        result = new RoleAssignment(
            name.ToLowerInvariant(),
            scope,
            role.Name,
            principalId,
            principalType,
            state.Clock.UtcNow,
            request.Principal.ObjectId);
        assignments.Add(result);
        return RoleAssignmentDecision.Created;
    }

    private static Task GetAssignmentAsync(ArmRequest request, CancellationToken ct)
    {
        var scope = Scope(request);
        var name = request.Segments[^1];
        RoleAssignment? assignment;
        lock (request.State.Gate)
        {
            assignment = request.State.RoleAssignmentsLocked().FirstOrDefault(
                a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                    && a.Scope.Equals(scope, StringComparison.OrdinalIgnoreCase));
        }

        return assignment is null
            ? request.WriteErrorAsync(404, "RoleAssignmentNotFound", $"The role assignment '{name}' is not found.", ct)
            : request.WriteJsonAsync(200, AssignmentBody(assignment), ct);
    }

    private static Task ListAssignmentsAsync(ArmRequest request, CancellationToken ct)
    {
        var scope = Scope(request);
        var filter = request.Query("$filter")?.Trim();
        var aboveOnly = false;
        string? principalId = null;
        if (string.Equals(filter, "atScope()", StringComparison.OrdinalIgnoreCase))
        {
            aboveOnly = true;
        }
        else if (!string.IsNullOrEmpty(filter))
        {
            var match = EqualsFilter().Match(filter);
            if (!match.Success || !match.Groups[1].Value.Equals("principalId", StringComparison.OrdinalIgnoreCase))
            {
                // The message is the emulator's; ARM also has assignedTo() and combinations, not emulated.
                return BadRequestAsync(
                    request,
                    "InvalidFilter",
                    $"The filter '{filter}' is not supported. Use atScope() or principalId eq '{{id}}'.",
                    ct);
            }

            principalId = match.Groups[2].Value;
        }

        IReadOnlyList<RoleAssignment> all;
        lock (request.State.Gate)
        {
            all = [.. request.State.RoleAssignmentsLocked()];
        }

        // ARM lists the assignments at the scope and above it (inherited), and below it unless atScope().
        var value = new JsonArray([.. all
            .Where(a => Covers(a.Scope, scope) || (!aboveOnly && Covers(scope, a.Scope)))
            .Where(a => principalId is null || a.PrincipalId.Equals(principalId, StringComparison.OrdinalIgnoreCase))
            .Select(a => (JsonNode)AssignmentBody(a))]);
        return request.WriteJsonAsync(200, new JsonObject { ["value"] = value }, ct);
    }

    private static Task DeleteAssignmentAsync(ArmRequest request, CancellationToken ct)
    {
        var scope = Scope(request);
        var name = request.Segments[^1];
        RoleAssignment? removed;
        lock (request.State.Gate)
        {
            var assignments = request.State.RoleAssignmentsLocked();
            removed = assignments.FirstOrDefault(
                a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                    && a.Scope.Equals(scope, StringComparison.OrdinalIgnoreCase));
            if (removed is not null)
            {
                assignments.Remove(removed);
            }
        }

        return removed is null
            ? request.WriteEmptyAsync(204)
            : request.WriteJsonAsync(200, AssignmentBody(removed), ct);
    }
}
