using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Action remove: takes back exactly what apply made for each binding and nothing else. The credential that
/// trusts the binding's issuer and subject (never one found only by name), the role assignments under the names
/// this task gives them (an assignment someone else made for the same role stays), and this task's fields on the
/// ServiceAccount; the ServiceAccount itself only when nothing else owns any of it. Namespaces are never deleted.
/// </summary>
internal sealed partial class BindingRunner
{
    private async Task RemoveGroupAsync(
        IdentityGroup group,
        RunRequest request,
        string issuer,
        IReporter log,
        bool single,
        CancellationToken token)
    {
        var removedRoles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var binding in group.Bindings)
        {
            log.BeginGroup(single
                ? request.WhatIf ? "What-if: what remove would take back (nothing is written)" : "Remove"
                : $"{(request.WhatIf ? "What-if remove" : "Remove")} ({binding.Request.ServiceAccount})");
            var actions = new List<string>();
            var changes = 0;
            void Done(string line, bool changed)
            {
                actions.Add(line);
                log.Info(line);
                changes += changed ? 1 : 0;
            }

            var credentialName = "";
            var failure = await Failure.OfAsync(async () =>
            {
                credentialName = await RemoveCredentialAsync(binding.Request, group, issuer, request.WhatIf, Done,
                    token);
                await RemoveRolesAsync(binding.Request, group, removedRoles, request.WhatIf, Done, token);
                if (cluster is not null)
                {
                    await ReleaseServiceAccountAsync(binding, request.WhatIf, Done, token);
                }
            });
            binding.Result = failure is null
                ? new BindingResult(binding.Request, group.Identity, issuer, credentialName, changes, request.WhatIf,
                    actions, [])
                : Failed(binding, issuer, request, failure, log) with { Actions = actions, Changes = changes };
            log.EndGroup();
        }
    }

    private async Task<string> RemoveCredentialAsync(
        BindingRequest request,
        IdentityGroup group,
        string issuer,
        bool whatIf,
        Action<string, bool> done,
        CancellationToken token)
    {
        var match = group.Credentials.FirstOrDefault(c =>
            string.Equals(c.Issuer, issuer, StringComparison.Ordinal)
            && string.Equals(c.Subject, request.Subject, StringComparison.Ordinal));
        if (request.FederatedCredentialName is { } named && !string.Equals(named, match?.Name,
            StringComparison.OrdinalIgnoreCase) && group.Credentials.FirstOrDefault(c =>
                string.Equals(c.Name, named, StringComparison.OrdinalIgnoreCase)) is { } other)
        {
            done($"Federated credential {other.Name}: kept; it trusts issuer {other.Issuer} and subject "
                + $"{other.Subject}, not this binding's", false);
        }

        if (match is null)
        {
            done($"Federated credential for issuer {issuer}, subject {request.Subject}: none (nothing to delete)",
                false);
            return "";
        }

        if (whatIf)
        {
            done($"Federated credential {match.Name} (issuer {issuer}, subject {request.Subject}): would be deleted",
                true);
        }
        else
        {
            var deleted = await arm.DeleteFederatedCredentialAsync(group.Reference.ResourceId, match.Name, token);
            done($"Federated credential {match.Name} (issuer {issuer}, subject {request.Subject}): "
                + (deleted ? "deleted" : "already gone"), deleted);
        }

        return match.Name;
    }

    private async Task RemoveRolesAsync(
        BindingRequest request,
        IdentityGroup group,
        HashSet<string> removed,
        bool whatIf,
        Action<string, bool> done,
        CancellationToken token)
    {
        foreach (var grant in request.Roles)
        {
            if (!group.Roles.TryGetValue(IdentityGroup.Key(grant), out var role)
                || !removed.Add(role.Assignment))
            {
                continue;
            }

            var line = $"Role {role.RoleName} on {grant.Scope}";
            if (role.Ours is not { } ours)
            {
                done(role.Holding.Count == 0
                    ? $"{line}: not held (nothing to remove)"
                    : $"{line}: kept; {Describe(role.Holding[0])} was not made by this task", false);
            }
            else if (whatIf)
            {
                done($"{line}: assignment {ours.Name} would be removed", true);
            }
            else
            {
                var deleted = await arm.DeleteRoleAssignmentAsync(ours.Id, token);
                done($"{line}: assignment {ours.Name} {(deleted ? "removed" : "already gone")}", deleted);
            }
        }
    }

    /// <summary>
    /// Deletes the ServiceAccount when nothing but this task owns any of it, otherwise takes back this task's
    /// fields and leaves everything else on it as it is.
    /// </summary>
    private async Task ReleaseServiceAccountAsync(
        BindingState binding,
        bool whatIf,
        Action<string, bool> done,
        CancellationToken token)
    {
        var request = binding.Request;
        var line = $"ServiceAccount {request.ServiceAccount}";
        var existing = binding.State?.ServiceAccount;
        if (existing is null)
        {
            done($"{line}: does not exist (nothing to take back)", false);
            return;
        }

        if (whatIf)
        {
            done(existing.AppliedByUs
                ? $"{line}: this task's annotations and labels would be taken back (the ServiceAccount is deleted "
                  + "when nothing else owns any of it)"
                : $"{line}: this task has applied nothing to it; it would be left as it is", existing.AppliedByUs);
            return;
        }

        var deleted = await cluster!.DeleteServiceAccountIfOnlyOursAsync(request.Namespace, request.ServiceAccountName,
            token);
        if (deleted.Outcome == ServiceAccountDeleteOutcome.Deleted)
        {
            done($"{line}: deleted (nothing else owned any of it)", true);
            return;
        }

        if (deleted.Outcome == ServiceAccountDeleteOutcome.Missing)
        {
            done($"{line}: does not exist (nothing to take back)", false);
            return;
        }

        var released = await cluster.ReleaseServiceAccountAsync(request.Namespace, request.ServiceAccountName, token);
        done(released.Outcome switch
        {
            ServiceAccountReleaseOutcome.Released => $"{line}: kept ({deleted.Reason}); took back "
                + string.Join(", ", released.Removed)
                + (released.KeptShared.Count > 0 ? $"; left {string.Join(", ", released.KeptShared)}, which another "
                    + "manager also sets" : ""),
            ServiceAccountReleaseOutcome.Missing => $"{line}: does not exist (nothing to take back)",
            _ => $"{line}: this task owns nothing on it; left as it is",
        }, released.Outcome == ServiceAccountReleaseOutcome.Released);
    }
}
