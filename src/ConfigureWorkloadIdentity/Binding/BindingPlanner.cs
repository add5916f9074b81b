using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Compares a binding with what exists and decides every change, before anything is written. A federated
/// credential is matched on issuer and subject (exactly, as Entra ID matches), never on its name.
/// </summary>
internal static class BindingPlanner
{
    /// <summary>The most federated credentials one identity can hold.</summary>
    public const int MaxCredentialsPerIdentity = 20;

    /// <summary>Plans the binding; throws <see cref="BindingFailedException"/> when it cannot be done safely.</summary>
    public static BindingPlan Plan(BindingRequest request, ObservedState observed)
    {
        var notes = new List<string>();
        var warnings = new List<string>();
        var (name, credential) = PlanCredential(request, observed, notes);
        if (credential != ChangeAction.Unchanged)
        {
            CheckRegion(request, observed.Identity);
        }

        WarnAboutStaleCredentials(request, observed, warnings);
        var createNamespace = PlanNamespace(request, observed);

        var annotations = new Dictionary<string, string>(request.Annotations, StringComparer.Ordinal)
        {
            [WorkloadIdentityKeys.ClientIdAnnotation] = observed.Identity.ClientId,
        };
        if (request.AnnotateTenantId)
        {
            annotations[WorkloadIdentityKeys.TenantIdAnnotation] = observed.Identity.TenantId;
        }

        if (request.TokenExpiration is { } lifetime)
        {
            annotations[WorkloadIdentityKeys.TokenExpirationAnnotation] =
                ((int)lifetime.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var labels = new Dictionary<string, string>(request.Labels, StringComparer.Ordinal)
        {
            [WorkloadIdentityKeys.UseLabel] = "true",
        };
        var serviceAccount = PlanServiceAccount(
            observed.ServiceAccount, annotations, labels, warnings, request, observed.Identity.TenantId);

        return new BindingPlan(
            name, credential, createNamespace, serviceAccount, annotations, labels, notes, warnings);
    }

    private static (string Name, ChangeAction Action) PlanCredential(
        BindingRequest request,
        ObservedState observed,
        List<string> notes)
    {
        var match = observed.Credentials.FirstOrDefault(c =>
            string.Equals(c.Issuer, observed.Issuer, StringComparison.Ordinal)
            && string.Equals(c.Subject, request.Subject, StringComparison.Ordinal));
        if (match is not null)
        {
            if (request.FederatedCredentialName is { } wanted
                && !string.Equals(wanted, match.Name, StringComparison.OrdinalIgnoreCase))
            {
                notes.Add(
                    $"Federated credential '{match.Name}' already trusts this issuer and subject, so it is kept "
                    + $"instead of creating '{wanted}' (Azure allows one credential per issuer and subject).");
            }

            var audiencesMatch = match.Audiences.Count == 1
                && string.Equals(match.Audiences[0], BindingRequest.Audience, StringComparison.Ordinal);
            if (!audiencesMatch)
            {
                notes.Add(
                    $"Federated credential '{match.Name}' has audiences [{string.Join(", ", match.Audiences)}]; "
                    + $"workload identity needs exactly [{BindingRequest.Audience}], so they are replaced.");
            }

            return (match.Name, audiencesMatch ? ChangeAction.Unchanged : ChangeAction.Update);
        }

        var name = request.FederatedCredentialName
            ?? FederatedCredentialNaming.Default(request.Identity.Name, request.Namespace, request.ServiceAccountName);
        var taken = Find(observed.Credentials, name);
        if (taken is not null && request.FederatedCredentialName is not null && request.RepointCredential)
        {
            notes.Add($"Federated credential '{taken.Name}' trusted issuer '{taken.Issuer}' and subject "
                + $"'{taken.Subject}'; it is repointed to this binding ('{InputNames.RepointFederatedCredential}' is "
                + "true). Whatever used the old subject loses its trust.");
            return (taken.Name, ChangeAction.Update);
        }

        if (taken is not null && request.FederatedCredentialName is not null)
        {
            throw new BindingFailedException(
                $"Federated credential '{name}' on identity {request.Identity} already exists for issuer "
                + $"'{taken.Issuer}' and subject '{taken.Subject}', which may serve another workload, so it is "
                + $"not repointed. Choose another '{InputNames.FederatedCredentialName}', leave it empty for a "
                + $"derived name, or set '{InputNames.RepointFederatedCredential}' to true to repoint it.");
        }

        if (taken is not null)
        {
            // The derived name is in use for another issuer: most often the same ServiceAccount on another cluster.
            name = FederatedCredentialNaming.WithIssuer(name, observed.Issuer);
            if (Find(observed.Credentials, name) is { } alsoTaken)
            {
                throw new BindingFailedException(
                    $"Federated credential '{name}' on identity {request.Identity} already exists for issuer "
                    + $"'{alsoTaken.Issuer}' and subject '{alsoTaken.Subject}'. Set "
                    + $"'{InputNames.FederatedCredentialName}' to a free name.");
            }
        }

        if (observed.Credentials.Count >= MaxCredentialsPerIdentity)
        {
            throw new BindingFailedException(
                $"Identity {request.Identity} already holds {observed.Credentials.Count} of "
                + $"{MaxCredentialsPerIdentity} federated credentials, the most Azure allows, and this binding "
                + "needs a new one. Remove credentials that are no longer used (az identity federated-credential "
                + "list/delete), or bind this workload to another identity.");
        }

        return (name, ChangeAction.Create);
    }

    private static bool PlanNamespace(BindingRequest request, ObservedState observed)
    {
        if (observed.ServiceAccount is not null)
        {
            return false;
        }

        return observed.Namespace switch
        {
            NamespaceState.Active => false,
            NamespaceState.Terminating => throw new BindingFailedException(
                $"Namespace '{request.Namespace}' is being deleted, so the ServiceAccount cannot be created in it. "
                + "Wait until the deletion finishes (kubectl get namespace), then run again."),
            _ when request.CreateNamespace => true,
            _ => throw new BindingFailedException(
                $"Namespace '{request.Namespace}' does not exist and '{InputNames.CreateNamespace}' is false. "
                + $"Create the namespace first, or set '{InputNames.CreateNamespace}' to true. Nothing was changed."),
        };
    }

    private static ChangeAction PlanServiceAccount(
        ObservedServiceAccount? existing,
        Dictionary<string, string> annotations,
        Dictionary<string, string> labels,
        List<string> warnings,
        BindingRequest request,
        string tenantId)
    {
        if (existing is null)
        {
            return ChangeAction.Create;
        }

        if (existing.Annotations.TryGetValue(WorkloadIdentityKeys.ClientIdAnnotation, out var current)
            && !string.Equals(current, annotations[WorkloadIdentityKeys.ClientIdAnnotation], StringComparison.Ordinal))
        {
            warnings.Add(
                $"ServiceAccount {request.Namespace}/{request.ServiceAccountName} changes client id from '{current}' "
                + $"to '{annotations[WorkloadIdentityKeys.ClientIdAnnotation]}': pods that run as it keep the old "
                + "value until they are restarted (kubectl rollout restart).");
        }

        if (!request.AnnotateTenantId
            && existing.Annotations.TryGetValue(WorkloadIdentityKeys.TenantIdAnnotation, out var tenant)
            && !string.Equals(tenant, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add(
                $"ServiceAccount {request.Namespace}/{request.ServiceAccountName} has the annotation "
                + $"{WorkloadIdentityKeys.TenantIdAnnotation}='{tenant}', but the identity is in tenant '{tenantId}'. "
                + "The webhook gives pods that tenant, so their token exchange will fail; remove the annotation "
                + $"(kubectl annotate serviceaccount -n {request.Namespace} {request.ServiceAccountName} "
                + $"{WorkloadIdentityKeys.TenantIdAnnotation}-) or set it to '{tenantId}'.");
        }

        var matches = annotations.All(a => existing.Annotations.TryGetValue(a.Key, out var v) && v == a.Value)
            && labels.All(l => existing.Labels.TryGetValue(l.Key, out var v) && v == l.Value);
        return matches && existing.AppliedByUs ? ChangeAction.Unchanged : ChangeAction.Update;
    }

    /// <summary>Regions whose Microsoft.ManagedIdentity cannot hold federated credentials (Entra docs).</summary>
    private static readonly string[] RegionsWithoutFederatedCredentials = ["malaysiasouth", "newzealandnorth"];

    private static void CheckRegion(BindingRequest request, ObservedIdentity identity)
    {
        var region = (identity.Location ?? "").Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
        if (RegionsWithoutFederatedCredentials.Contains(region))
        {
            throw new BindingFailedException(
                $"Identity {request.Identity} is in region '{identity.Location}', where user-assigned identities "
                + "cannot hold federated credentials. Create the identity in a supported region (it can be used "
                + "from any region) and point 'identityName' at it. Nothing was changed.");
        }
    }

    /// <summary>
    /// Credentials for the same subject under another issuer: most often left behind by a cluster that was
    /// recreated (its issuer changed). They may still serve another cluster, so they are only reported.
    /// </summary>
    private static void WarnAboutStaleCredentials(
        BindingRequest request,
        ObservedState observed,
        List<string> warnings)
    {
        var stale = observed.Credentials
            .Where(c => c.Subject == request.Subject
                && !string.Equals(c.Issuer, observed.Issuer, StringComparison.Ordinal))
            .Select(c => $"'{c.Name}' (issuer {c.Issuer})")
            .ToList();
        if (stale.Count > 0)
        {
            warnings.Add(
                $"Identity {request.Identity} also trusts {request.Subject} from other issuers: "
                + $"{string.Join(", ", stale)}. If they belong to a cluster that no longer exists, delete them "
                + "(az identity federated-credential delete) to free the slot and the trust.");
        }
    }

    private static ObservedCredential? Find(IReadOnlyList<ObservedCredential> credentials, string name) =>
        credentials.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
