using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Runs one binding: observe everything (reads only), plan, then apply the changes, reporting each step.
/// Every check that can stop the run happens before the first write.
/// </summary>
internal sealed class BindingRunner(
    ArmClient arm,
    ClusterClient cluster,
    IReporter reporter,
    TrustVerifier? verifier = null)
{
    /// <summary>
    /// Makes the world match the binding; with <paramref name="whatIf"/>, reads and plans only, and reports each
    /// change it would make with its values before and after.
    /// </summary>
    public async Task<BindingResult> RunAsync(
        BindingRequest request,
        bool whatIf,
        CancellationToken cancellationToken)
    {
        reporter.BeginGroup($"Read: identity {request.Identity.Name}, issuer, ServiceAccount {Sa(request)}");
        ObservedState observed;
        try
        {
            observed = await ObserveAsync(request, cancellationToken);
        }
        finally
        {
            reporter.EndGroup();
        }

        var plan = BindingPlanner.Plan(request, observed);
        IReadOnlyList<string> actions;
        reporter.BeginGroup(plan.IsConverged ? "Apply: nothing to change"
            : whatIf ? "What-if: the changes a run would make (nothing is written)" : "Apply");
        try
        {
            actions = await ApplyAsync(request, observed, plan, whatIf, cancellationToken);
        }
        finally
        {
            reporter.EndGroup();
        }

        var warnings = plan.Warnings.Concat(await HintAsync(request, observed, plan, cancellationToken));
        if (verifier is not null && !whatIf)
        {
            reporter.BeginGroup("Verify: exchange a ServiceAccount token at Entra ID");
            try
            {
                var verified = await verifier.VerifyAsync(
                    request, observed.Identity, observed.Issuer, cancellationToken);
                foreach (var line in verified.Lines)
                {
                    reporter.Info(line);
                }

                actions = [.. actions, .. verified.Lines];
                warnings = warnings.Concat(verified.Warnings);
            }
            finally
            {
                reporter.EndGroup();
            }
        }

        var changes = (plan.Credential == ChangeAction.Unchanged ? 0 : 1) + (plan.CreateNamespace ? 1 : 0)
            + (plan.ServiceAccount == ChangeAction.Unchanged ? 0 : 1);
        return new BindingResult(
            request, observed.Identity, observed.Issuer, plan.CredentialName, changes, whatIf, actions, [.. warnings]);
    }

    /// <summary>
    /// Looks at the workloads that run as the ServiceAccount when this run changes (or would change) something:
    /// a converged re-run stays at its few reads, and a new namespace has no workloads yet.
    /// </summary>
    private async Task<IReadOnlyList<string>> HintAsync(
        BindingRequest request,
        ObservedState observed,
        BindingPlan plan,
        CancellationToken cancellationToken)
    {
        if (plan.IsConverged || plan.CreateNamespace || observed.Namespace != NamespaceState.Active)
        {
            return [];
        }

        var uses = await cluster.ListWorkloadsUsingAsync(request.Namespace, request.ServiceAccountName,
            cancellationToken);
        if (uses is null)
        {
            reporter.Debug(
                $"Workloads in {request.Namespace} were not checked: the cluster identity may not list them.");
            return [];
        }

        var clientIdChanged = observed.ServiceAccount?.Annotations.TryGetValue(
            WorkloadIdentityKeys.ClientIdAnnotation, out var before) == true
            && before != observed.Identity.ClientId;
        var hints = WorkloadHints.Describe(uses, request, clientIdChanged);
        foreach (var hint in hints)
        {
            reporter.Warning(hint);
        }

        return hints;
    }

    private async Task<ObservedState> ObserveAsync(BindingRequest request, CancellationToken cancellationToken)
    {
        var identity = await ReadIdentityAsync(request.Identity, cancellationToken);
        reporter.Info($"Identity {request.Identity}: client id {identity.ClientId}, principal id "
            + $"{identity.PrincipalId}, tenant {identity.TenantId}");

        var warnings = new List<string>();
        var issuer = await new ClusterPreflight(arm, cluster, reporter)
            .CheckAsync(request, warnings, cancellationToken);

        var credentials = (await arm.ListFederatedCredentialsAsync(request.Identity.ResourceId, cancellationToken))
            .Select(c => new ObservedCredential(c.Name, c.Properties.Issuer, c.Properties.Subject,
                c.Properties.Audiences ?? []))
            .ToList();
        reporter.Info($"Federated credentials on the identity: {credentials.Count}");

        var serviceAccount = await cluster.GetServiceAccountAsync(
            request.Namespace, request.ServiceAccountName, cancellationToken);
        var namespaceState = serviceAccount is null
            ? await cluster.GetNamespaceStateAsync(request.Namespace, cancellationToken)
            : NamespaceState.Active;
        reporter.Info(serviceAccount is null
            ? $"ServiceAccount {Sa(request)}: does not exist (namespace {request.Namespace}: "
              + $"{namespaceState.ToString().ToLowerInvariant()})"
            : $"ServiceAccount {Sa(request)}: exists");

        var observedAccount = serviceAccount is null
            ? null
            : new ObservedServiceAccount(
                Copy(serviceAccount.Metadata?.Annotations),
                Copy(serviceAccount.Metadata?.Labels),
                serviceAccount.Metadata?.ManagedFields?.Any(f =>
                    f.Manager == ClusterClient.FieldManager && f.Operation == "Apply") == true);
        return new ObservedState(identity, issuer, credentials, namespaceState, observedAccount, warnings);
    }

    private async Task<ObservedIdentity> ReadIdentityAsync(
        IdentityReference identity,
        CancellationToken cancellationToken)
    {
        UserAssignedIdentity found;
        try
        {
            found = await arm.GetIdentityAsync(identity.ResourceId, cancellationToken);
        }
        catch (ArmRequestException ex) when (ex.Status == 404)
        {
            throw new BindingFailedException(
                $"Managed identity '{identity.Name}' was not found in resource group '{identity.ResourceGroup}' of "
                + $"subscription {identity.SubscriptionId}. Check the inputs '{InputNames.IdentityName}' and "
                + $"'{InputNames.ResourceGroup}' and the service connection's subscription. Nothing was changed. "
                + ex.Message,
                ex);
        }

        var props = found.Properties;
        if (string.IsNullOrEmpty(props?.ClientId) || string.IsNullOrEmpty(props.PrincipalId)
            || string.IsNullOrEmpty(props.TenantId))
        {
            throw new BindingFailedException(
                $"ARM returned identity {identity} without its client, principal or tenant id; "
                + "is it a user-assigned managed identity?");
        }

        return new ObservedIdentity(props.ClientId, props.PrincipalId, props.TenantId, found.Location);
    }

    private async Task<IReadOnlyList<string>> ApplyAsync(
        BindingRequest request,
        ObservedState observed,
        BindingPlan plan,
        bool whatIf,
        CancellationToken cancellationToken)
    {
        foreach (var note in plan.Notes)
        {
            reporter.Info(note);
        }

        foreach (var warning in plan.Warnings)
        {
            reporter.Warning(warning);
        }

        var actions = new List<string>();
        void Done(string line)
        {
            actions.Add(line);
            reporter.Info(line);
        }

        var credentialLine = $"Federated credential {plan.CredentialName} (issuer {observed.Issuer}, subject "
            + $"{request.Subject})";
        if (plan.Credential == ChangeAction.Unchanged)
        {
            Done($"{credentialLine}: unchanged");
        }
        else if (whatIf)
        {
            var before = observed.Credentials.FirstOrDefault(c => c.Name == plan.CredentialName);
            Done(plan.Credential == ChangeAction.Create
                ? $"{credentialLine}: would be created (audience {BindingRequest.Audience})"
                : $"{credentialLine}: would be updated (audiences [{string.Join(", ", before?.Audiences ?? [])}] "
                  + $"-> [{BindingRequest.Audience}])");
        }
        else
        {
            var properties = new FederatedIdentityCredentialProperties(
                observed.Issuer, request.Subject, [BindingRequest.Audience]);
            var (_, created) = await arm.PutFederatedCredentialAsync(
                request.Identity.ResourceId, plan.CredentialName, properties, cancellationToken);
            Done($"{credentialLine}: {(created ? "created" : "updated")}");
        }

        if (plan.CreateNamespace && whatIf)
        {
            Done($"Namespace {request.Namespace}: would be created");
        }
        else if (plan.CreateNamespace)
        {
            var created = await cluster.CreateNamespaceAsync(request.Namespace, cancellationToken);
            Done($"Namespace {request.Namespace}: {(created ? "created" : "already exists")}");
        }

        if (plan.ServiceAccount == ChangeAction.Unchanged)
        {
            Done($"ServiceAccount {Sa(request)}: unchanged");
        }
        else if (whatIf)
        {
            Done($"ServiceAccount {Sa(request)}: would be "
                + $"{(plan.ServiceAccount == ChangeAction.Create ? "created" : "updated")}: "
                + DescribeServiceAccountChange(observed.ServiceAccount, plan));
        }
        else
        {
            var result = await cluster.ApplyServiceAccountAsync(
                request.Namespace, request.ServiceAccountName, plan.Annotations, plan.Labels, cancellationToken);
            Done($"ServiceAccount {Sa(request)}: {(result.Created ? "created" : "updated")} "
                + $"({WorkloadIdentityKeys.ClientIdAnnotation}={observed.Identity.ClientId})");
        }
    
        return actions;
    }

    /// <summary>Each annotation and label the apply sets, with its value before and after.</summary>
    private static string DescribeServiceAccountChange(ObservedServiceAccount? before, BindingPlan plan)
    {
        static string Value(IReadOnlyDictionary<string, string>? values, string key) =>
            values is not null && values.TryGetValue(key, out var value) ? $"'{value}'" : "(none)";

        var annotations = plan.Annotations.Select(a =>
            $"annotation {a.Key}: {Value(before?.Annotations, a.Key)} -> '{a.Value}'");
        var labels = plan.Labels.Select(l => $"label {l.Key}: {Value(before?.Labels, l.Key)} -> '{l.Value}'");
        var ownership = before is not null && !before.AppliedByUs ? ["field manager " + ClusterClient.FieldManager
            + " takes ownership of these fields"] : Array.Empty<string>();
        return string.Join("; ", annotations.Concat(labels).Concat(ownership));
    }

    private static Dictionary<string, string> Copy(IDictionary<string, string>? values) =>
        values is null ? [] : new Dictionary<string, string>(values);

    private static string Sa(BindingRequest request) => $"{request.Namespace}/{request.ServiceAccountName}";
}
