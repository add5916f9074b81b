using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>The identity's side of a step beyond its credentials: creating it, and the roles it holds.</summary>
internal sealed partial class BindingRunner
{
    /// <summary>
    /// Reads, before any write, each role the group's bindings ask for: the definition (so a misspelt role stops
    /// the step before anything changes) and the assignments that already give the identity that role there.
    /// </summary>
    private async Task ObserveRolesAsync(IdentityGroup group, RunRequest request, CancellationToken token)
    {
        foreach (var grant in group.Bindings.SelectMany(b => b.Request.Roles))
        {
            var key = IdentityGroup.Key(grant);
            if (group.Roles.ContainsKey(key))
            {
                continue;
            }

            RoleDefinition definition;
            try
            {
                definition = await arm.FindRoleDefinitionAsync(grant.Scope, grant.Role, token);
            }
            catch (RoleDefinitionNotFoundException ex)
            {
                throw new BindingFailedException(
                    $"{ex.Message} Check the role's name (as the portal shows it) or give its id. Nothing was changed.",
                    ex);
            }
            catch (ArmRequestException ex) when (ex.Status is 404 or 400)
            {
                throw new BindingFailedException(
                    $"The scope '{grant.Scope}' in '{InputNames.RoleAssignments}' could not be read: {ex.Message} "
                    + "Check that it is the id of an existing subscription, resource group or resource, in a "
                    + "subscription the service connection can read. Nothing was changed.",
                    ex);
            }

            var principal = group.CreateIn is null ? group.Identity?.PrincipalId : null;
            var holding = principal is null ? [] : (await arm.ListRoleAssignmentsAsync(grant.Scope, principal, token))
                .Where(a => Grants(a, definition, grant.Scope)).ToList();
            var role = new ObservedRole(grant, definition,
                RoleAssignmentNaming.AssignmentName(grant.Scope, definition.Name, principal ?? ""), holding);
            group.Roles[key] = role;
            if (principal is not null)
            {
                reporter.Info($"Role {role.RoleName} on {grant.Scope}: "
                    + (holding.Count == 0 ? "not held" : $"held ({string.Join(", ", holding.Select(Describe))})"));
            }
        }
    }

    /// <summary>Whether an assignment gives the role at the scope: at the scope itself, or at one above it.</summary>
    private static bool Grants(RoleAssignment assignment, RoleDefinition definition, string scope)
    {
        var at = (assignment.Properties?.Scope ?? "").TrimEnd('/');
        var wanted = scope.TrimEnd('/');
        return string.Equals(assignment.Properties?.RoleDefinitionGuid, definition.Name,
                StringComparison.OrdinalIgnoreCase)
            && (string.Equals(at, wanted, StringComparison.OrdinalIgnoreCase)
                || wanted.StartsWith(at + "/", StringComparison.OrdinalIgnoreCase));
    }

    private static string Describe(RoleAssignment assignment) =>
        $"assignment {assignment.Name} at {assignment.Properties?.Scope}";

    /// <summary>
    /// Gives the identity the binding's roles that no earlier binding of the group gave already. An assignment
    /// name derived from scope, role and principal makes a re-run find (or re-create) the same assignment.
    /// </summary>
    private async Task<(List<string> Actions, int Changes)> GrantRolesAsync(
        BindingState binding,
        IdentityGroup group,
        HashSet<string> granted,
        bool whatIf,
        IReporter log,
        CancellationToken token)
    {
        var actions = new List<string>();
        var changes = 0;
        foreach (var grant in binding.Request.Roles)
        {
            // The same role may be named twice (by name and by GUID): one assignment serves both.
            var role = group.Roles[IdentityGroup.Key(grant)];
            if (!granted.Add(role.Assignment))
            {
                continue;
            }

            var line = $"Role {role.RoleName} on {grant.Scope}";
            string done;
            if (role.Holding.Count > 0)
            {
                done = $"{line}: unchanged ({Describe(role.Holding[0])})";
            }
            else if (whatIf)
            {
                done = $"{line}: would be assigned (principal type ServicePrincipal)";
                changes++;
            }
            else
            {
                var name = RoleAssignmentNaming.AssignmentName(grant.Scope, role.Definition.Name,
                    group.Identity!.PrincipalId);
                var (_, created) = await arm.PutRoleAssignmentAsync(
                    grant.Scope, name, role.Definition.Id, group.Identity.PrincipalId, token);
                done = $"{line}: {(created ? "assigned" : "already assigned")} (assignment {name})";
                changes += created ? 1 : 0;
            }

            log.Info(done);
            actions.Add(done);
        }

        return (actions, changes);
    }

    /// <summary>
    /// Creates the group's missing identity (before anything else of the group is written) and plans its bindings
    /// again with the real ids. When creation fails, every binding of the group fails with it.
    /// </summary>
    private async Task<bool> CreateIdentityAsync(
        IdentityGroup group,
        RunRequest request,
        string issuer,
        IReporter log,
        Dictionary<BindingState, (List<string> Actions, int Changes)> extra,
        CancellationToken token)
    {
        var tags = request.CreateIdentity!.Tags;
        var line = $"Identity {group.Reference}";
        string done;
        if (request.WhatIf)
        {
            done = $"{line}: would be created in {group.CreateIn}"
                + (tags.Count > 0 ? $" with tags {string.Join(", ", tags.Select(t => $"{t.Key}={t.Value}"))}" : "");
        }
        else
        {
            var failure = await Failure.OfAsync(async () =>
            {
                var (created, _) = await arm.CreateOrUpdateIdentityAsync(
                    group.Reference.ResourceId, group.CreateIn!, tags, token);
                group.Identity = ToObserved(created) ?? throw new BindingFailedException(
                    $"ARM created identity {group.Reference} but returned it without its client, principal or "
                    + "tenant id.");
            });
            if (failure is not null)
            {
                foreach (var binding in group.Bindings)
                {
                    binding.Result = Failed(binding, issuer, request, failure, log);
                }

                return false;
            }

            done = $"{line}: created in {group.CreateIn} (client id {group.Identity!.ClientId}, principal id "
                + $"{group.Identity.PrincipalId})";
            var credentials = new List<ObservedCredential>();
            foreach (var binding in group.Bindings)
            {
                binding.State = binding.State! with { Identity = group.Identity, Credentials = [.. credentials] };
                binding.Plan = BindingPlanner.Plan(binding.Request, binding.State);
                credentials.Add(new ObservedCredential(binding.Plan.CredentialName, issuer, binding.Request.Subject,
                    [BindingRequest.Audience]));
            }
        }

        log.Info(done);
        extra[group.Bindings[0]] = ([done], 1);
        return true;
    }
}
