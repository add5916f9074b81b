using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Runs a step's bindings: observe everything (reads only), plan every binding, then apply the changes,
/// reporting each step. Every check that can stop the run happens before the first write. The cluster and the
/// issuer are read once; each identity and its credential list once, however many bindings share it. Writes to
/// one identity go strictly one at a time (Azure answers concurrent writes to an identity with 409); different
/// identities are written in parallel, a few at a time.
/// </summary>
internal sealed partial class BindingRunner(
    ArmClient arm,
    ClusterClient? cluster,
    IReporter reporter,
    Func<IReporter, TrustVerifier>? verifierFor = null)
{
    /// <summary>How many identities are written at the same time.</summary>
    public const int ParallelIdentities = 4;

    private readonly Lock flushLock = new();

    /// <summary>
    /// Makes the world match the bindings; with <see cref="RunRequest.WhatIf"/>, reads and plans only, and reports
    /// each change it would make with its values before and after. A binding that fails while writing does not
    /// stop the others; its result carries the error.
    /// </summary>
    public async Task<StepResult> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        var single = request.Bindings.Count == 1;
        var first = request.Bindings[0];
        var stepWarnings = new List<string>();
        string issuer;
        var groups = new List<IdentityGroup>();
        reporter.BeginGroup(single
            ? $"Read: identity {first.Identity.Name}, issuer, ServiceAccount {first.ServiceAccount}"
            : $"Read: issuer, {Count(request.Bindings.Select(b => b.Identity.ResourceId.ToUpperInvariant())
                .Distinct().Count(), "identity", "identities")}, {Count(request.Bindings.Count, "ServiceAccount")}");
        try
        {
            var preflight = new ClusterPreflight(arm, cluster, reporter);
            issuer = await preflight.CheckAsync(first, stepWarnings, cancellationToken);
            foreach (var bindings in request.Bindings.GroupBy(
                b => b.Identity.ResourceId, StringComparer.OrdinalIgnoreCase))
            {
                var group = await ObserveIdentityAsync([.. bindings], request, preflight.ClusterLocation,
                    cancellationToken);
                await ObserveRolesAsync(group, request, cancellationToken);
                groups.Add(group);
            }

            foreach (var group in groups)
            {
                foreach (var binding in group.Bindings)
                {
                    binding.State = await ObserveBindingAsync(binding.Request, group, issuer, request,
                        cancellationToken);
                }
            }
        }
        finally
        {
            reporter.EndGroup();
        }

        foreach (var warning in stepWarnings)
        {
            reporter.Warning(warning);
        }

        if (request.Action != StepAction.Remove)
        {
            PlanAll(groups);
        }

        using var gate = new SemaphoreSlim(ParallelIdentities);
        var runs = groups.Select(async group =>
        {
            await gate.WaitAsync(cancellationToken);
            var log = groups.Count > 1 ? new BufferedReporter(reporter) : null;
            try
            {
                if (request.Action == StepAction.Remove)
                {
                    await RemoveGroupAsync(group, request, issuer, log ?? reporter, single, cancellationToken);
                }
                else
                {
                    await ApplyGroupAsync(group, request, issuer, log ?? reporter, single, cancellationToken);
                }
            }
            finally
            {
                // Flushed even when the group stops early (cancellation), so its lines are not lost.
                lock (flushLock)
                {
                    log?.Flush();
                }

                gate.Release();
            }
        });
        await Task.WhenAll(runs);

        // Each ServiceAccount appears once in a step, so no two bindings are equal.
        var byRequest = groups.SelectMany(g => g.Bindings).ToDictionary(b => b.Request);
        var states = request.Bindings.Select(b => byRequest[b]).ToList();
        if (request.Action == StepAction.Render && !request.WhatIf)
        {
            ManifestWriter.Write(request.ManifestPath!,
                states.Where(b => b.Result!.Succeeded).Select(b => (b.Request, b.Plan!)));
            reporter.Info($"Manifest: {states.Count(b => b.Result!.Succeeded)} ServiceAccount(s) written to "
                + request.ManifestPath);
        }

        var results = states.Select(b => b.Result!).ToList();
        return new StepResult(request.Action, request.WhatIf, issuer, results, stepWarnings, request.ManifestPath);
    }

    /// <summary>
    /// Plans every binding before anything is written. Bindings that share an identity are planned in order
    /// against the credentials the earlier ones will add, so the 20-credential limit and names are checked for
    /// the whole step. Any binding that cannot be done safely stops the step with every such reason.
    /// </summary>
    private static void PlanAll(List<IdentityGroup> groups)
    {
        var problems = new List<(BindingRequest Request, string Reason)>();
        foreach (var group in groups)
        {
            var credentials = new List<ObservedCredential>(group.Credentials);
            foreach (var binding in group.Bindings)
            {
                try
                {
                    var state = binding.State! with { Credentials = [.. credentials] };
                    var plan = BindingPlanner.Plan(binding.Request, state);
                    binding.Plan = plan;
                    if (plan.Credential != ChangeAction.Unchanged)
                    {
                        credentials.RemoveAll(c =>
                            c.Name.Equals(plan.CredentialName, StringComparison.OrdinalIgnoreCase));
                        credentials.Add(new ObservedCredential(plan.CredentialName, binding.State.Issuer,
                            binding.Request.Subject, [BindingRequest.Audience]));
                    }
                }
                catch (BindingFailedException ex)
                {
                    problems.Add((binding.Request, ex.Message));
                }
            }
        }

        if (problems.Count == 1 && groups.Sum(g => g.Bindings.Count) == 1)
        {
            throw new BindingFailedException(problems[0].Reason);
        }

        if (problems.Count > 0)
        {
            throw new BindingFailedException(
                $"{Count(problems.Count, "binding")} cannot be done safely, so nothing was changed. "
                + string.Join(" ", problems.Select(p => $"{p.Request.ServiceAccount}: {p.Reason}")));
        }
    }

    private async Task ApplyGroupAsync(
        IdentityGroup group,
        RunRequest request,
        string issuer,
        IReporter log,
        bool single,
        CancellationToken cancellationToken)
    {
        var extra = new Dictionary<BindingState, (List<string> Actions, int Changes)>();
        if (group.CreateIn is { } location && !await CreateIdentityAsync(
            group, request, issuer, log, extra, cancellationToken))
        {
            return;
        }

        var granted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var binding in group.Bindings)
        {
            var plan = binding.Plan!;
            var rolesPending = binding.Request.Roles.Any(g => group.Roles[IdentityGroup.Key(g)].Holding.Count == 0);
            var title = plan.IsConverged && !rolesPending && group.CreateIn is null ? "Apply: nothing to change"
                : request.WhatIf ? "What-if: the changes a run would make (nothing is written)" : "Apply";
            log.BeginGroup(single ? title : $"{title} ({binding.Request.ServiceAccount})");
            var failure = await Failure.OfAsync(async () =>
            {
                var (before, created) = extra.GetValueOrDefault(binding, ([], 0));
                var actions = await ApplyAsync(binding.Request, binding.State!, plan, request, log, cancellationToken);
                var (roleActions, roleChanges) = await GrantRolesAsync(
                    binding, group, granted, request.WhatIf, log, cancellationToken);
                var hints = request.Action == StepAction.Render ? []
                    : await HintAsync(binding.Request, binding.State!, plan, log, cancellationToken);
                binding.Result = Result(binding, issuer, request.WhatIf, [.. before, .. actions, .. roleActions],
                    [.. plan.Warnings, .. hints]);
                binding.Result = binding.Result with { Changes = binding.Result.Changes + created + roleChanges };
            });
            if (failure is not null)
            {
                binding.Result = Failed(binding, issuer, request, failure, log);
            }

            log.EndGroup();
        }

        if (verifierFor is null || request.WhatIf || request.Action != StepAction.Apply)
        {
            return;
        }

        var verifier = verifierFor(log);
        foreach (var binding in group.Bindings.Where(b => b.Result!.Succeeded))
        {
            log.BeginGroup(single ? "Verify: exchange a ServiceAccount token at Entra ID"
                : $"Verify: exchange a token of {binding.Request.ServiceAccount} at Entra ID");
            var actions = binding.Result!.Actions;
            var failure = await Failure.OfAsync(async () =>
            {
                var verified = await verifier.VerifyAsync(
                    binding.Request, binding.State!.Identity, issuer, cancellationToken);
                foreach (var line in verified.Lines)
                {
                    log.Info(line);
                }

                binding.Result = binding.Result! with
                {
                    Actions = [.. actions, .. verified.Lines],
                    Warnings = [.. binding.Result.Warnings, .. verified.Warnings],
                };
            });
            if (failure is not null)
            {
                binding.Result = Failed(binding, issuer, request, failure, log) with { Actions = actions };
            }

            log.EndGroup();
        }
    }

    private static BindingResult Result(
        BindingState binding,
        string issuer,
        bool whatIf,
        IReadOnlyList<string> actions,
        IReadOnlyList<string> warnings)
    {
        var plan = binding.Plan!;
        var changes = (plan.Credential == ChangeAction.Unchanged ? 0 : 1) + (plan.CreateNamespace ? 1 : 0)
            + (plan.ServiceAccount == ChangeAction.Unchanged ? 0 : 1);
        return new BindingResult(binding.Request, binding.State!.Identity, issuer, plan.CredentialName, changes,
            whatIf, actions, warnings);
    }

    private static BindingResult Failed(
        BindingState binding,
        string issuer,
        RunRequest request,
        Exception ex,
        IReporter log)
    {
        var message = FailureMessages.Describe(ex);
        log.Error(request.Bindings.Count == 1 ? message : $"{binding.Request.ServiceAccount}: {message}");
        return new BindingResult(binding.Request, binding.State?.Identity, issuer, binding.Plan?.CredentialName ?? "",
            0, request.WhatIf, [], binding.Plan?.Warnings ?? [], message);
    }

    private async Task<IdentityGroup> ObserveIdentityAsync(
        List<BindingRequest> bindings,
        RunRequest request,
        string? clusterLocation,
        CancellationToken cancellationToken)
    {
        var reference = bindings[0].Identity;
        var states = bindings.Select(b => new BindingState(b)).ToList();
        var mayBeMissing = request.CreateIdentity is not null || request.Action == StepAction.Remove;
        var identity = await ReadIdentityAsync(reference, mayBeMissing, cancellationToken);
        if (identity is null && request.Action == StepAction.Remove)
        {
            reporter.Info($"Identity {reference}: does not exist, so it holds no credentials or roles to remove");
            return new IdentityGroup(reference, null, [], states);
        }

        if (identity is null)
        {
            var location = request.CreateIdentity!.Location ?? clusterLocation ?? throw new BindingFailedException(
                $"Managed identity {reference} does not exist and there is no region to create it in: set "
                + $"'{InputNames.IdentityLocation}'. Nothing was changed.");
            reporter.Info($"Identity {reference}: does not exist; it is to be created in {location}");
            return new IdentityGroup(reference,
                new ObservedIdentity(IdentityGroup.Pending, IdentityGroup.Pending, IdentityGroup.Pending, location),
                [], states)
            {
                CreateIn = location,
            };
        }

        reporter.Info($"Identity {reference}: client id {identity.ClientId}, principal id "
            + $"{identity.PrincipalId}, tenant {identity.TenantId}");
        var credentials = (await arm.ListFederatedCredentialsAsync(reference.ResourceId, cancellationToken))
            .Select(c => new ObservedCredential(c.Name, c.Properties.Issuer, c.Properties.Subject,
                c.Properties.Audiences ?? []))
            .ToList();
        reporter.Info(request.Bindings.Count == 1
            ? $"Federated credentials on the identity: {credentials.Count}"
            : $"Federated credentials on identity {reference.Name}: {credentials.Count}");
        return new IdentityGroup(reference, identity, credentials, states);
    }

    private async Task<ObservedState> ObserveBindingAsync(
        BindingRequest request,
        IdentityGroup group,
        string issuer,
        RunRequest run,
        CancellationToken cancellationToken)
    {
        if (run.Action == StepAction.Render || cluster is null)
        {
            // Render writes a manifest instead of touching the cluster: there is nothing there to read.
            return new ObservedState(group.Identity!, issuer, group.Credentials, NamespaceState.Active, null);
        }

        var serviceAccount = await cluster.GetServiceAccountAsync(
            request.Namespace, request.ServiceAccountName, cancellationToken);
        var namespaceState = serviceAccount is null
            ? await cluster.GetNamespaceStateAsync(request.Namespace, cancellationToken)
            : NamespaceState.Active;
        reporter.Info(serviceAccount is null
            ? $"ServiceAccount {request.ServiceAccount}: does not exist (namespace {request.Namespace}: "
              + $"{namespaceState.ToString().ToLowerInvariant()})"
            : $"ServiceAccount {request.ServiceAccount}: exists");

        var observedAccount = serviceAccount is null
            ? null
            : new ObservedServiceAccount(
                Copy(serviceAccount.Metadata?.Annotations),
                Copy(serviceAccount.Metadata?.Labels),
                serviceAccount.Metadata?.ManagedFields?.Any(f =>
                    f.Manager == ClusterClient.FieldManager && f.Operation == "Apply") == true);
        // On remove a missing identity has no ids; the ServiceAccount is still taken back.
        var identity = group.Identity ?? new ObservedIdentity("", "", "", null);
        return new ObservedState(identity, issuer, group.Credentials, namespaceState, observedAccount);
    }

    /// <summary>
    /// Looks at the workloads that run as the ServiceAccount when this run changes (or would change) something:
    /// a converged re-run stays at its few reads, and a new namespace has no workloads yet.
    /// </summary>
    private async Task<IReadOnlyList<string>> HintAsync(
        BindingRequest request,
        ObservedState observed,
        BindingPlan plan,
        IReporter log,
        CancellationToken cancellationToken)
    {
        if (plan.IsConverged || plan.CreateNamespace || observed.Namespace != NamespaceState.Active)
        {
            return [];
        }

        var uses = await cluster!.ListWorkloadsUsingAsync(request.Namespace, request.ServiceAccountName,
            cancellationToken);
        if (uses is null)
        {
            log.Debug(
                $"Workloads in {request.Namespace} were not checked: the cluster identity may not list them.");
            return [];
        }

        var clientIdChanged = observed.ServiceAccount?.Annotations.TryGetValue(
            WorkloadIdentityKeys.ClientIdAnnotation, out var before) == true
            && before != observed.Identity.ClientId;
        var hints = WorkloadHints.Describe(uses, request, clientIdChanged);
        foreach (var hint in hints)
        {
            log.Warning(hint);
        }

        return hints;
    }

    private async Task<ObservedIdentity?> ReadIdentityAsync(
        IdentityReference identity,
        bool mayBeMissing,
        CancellationToken cancellationToken)
    {
        UserAssignedIdentity found;
        try
        {
            found = await arm.GetIdentityAsync(identity.ResourceId, cancellationToken);
        }
        catch (ArmRequestException ex) when (ex.Status == 404 && mayBeMissing)
        {
            return null;
        }
        catch (ArmRequestException ex) when (ex.Status == 404)
        {
            throw new BindingFailedException(
                $"Managed identity '{identity.Name}' was not found in resource group '{identity.ResourceGroup}' of "
                + $"subscription {identity.SubscriptionId}. Check the inputs '{InputNames.IdentityName}' and "
                + $"'{InputNames.ResourceGroup}' and the service connection's subscription, or set "
                + $"'{InputNames.CreateIdentity}' to true to create it. Nothing was changed. "
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

    private static ObservedIdentity? ToObserved(UserAssignedIdentity identity) =>
        identity.Properties is { ClientId: { Length: > 0 } client, PrincipalId: { Length: > 0 } principal,
            TenantId: { Length: > 0 } tenant }
            ? new ObservedIdentity(client, principal, tenant, identity.Location)
            : null;

    private async Task<IReadOnlyList<string>> ApplyAsync(
        BindingRequest request,
        ObservedState observed,
        BindingPlan plan,
        RunRequest run,
        IReporter log,
        CancellationToken cancellationToken)
    {
        var whatIf = run.WhatIf;
        foreach (var note in plan.Notes)
        {
            log.Info(note);
        }

        foreach (var warning in plan.Warnings)
        {
            log.Warning(warning);
        }

        var actions = new List<string>();
        void Done(string line)
        {
            actions.Add(line);
            log.Info(line);
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
                : before is not null && (before.Issuer != observed.Issuer || before.Subject != request.Subject)
                ? $"{credentialLine}: would be repointed (was issuer {before.Issuer}, subject {before.Subject})"
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

        if (run.Action == StepAction.Render)
        {
            Done($"ServiceAccount {request.ServiceAccount}: {(whatIf ? "would be written" : "written")} to "
                + $"{run.ManifestPath} ({WorkloadIdentityKeys.ClientIdAnnotation}={observed.Identity.ClientId})");
            return actions;
        }

        if (plan.CreateNamespace && whatIf)
        {
            Done($"Namespace {request.Namespace}: would be created");
        }
        else if (plan.CreateNamespace)
        {
            var created = await cluster!.CreateNamespaceAsync(request.Namespace, cancellationToken);
            Done($"Namespace {request.Namespace}: {(created ? "created" : "already exists")}");
        }

        if (plan.ServiceAccount == ChangeAction.Unchanged)
        {
            Done($"ServiceAccount {request.ServiceAccount}: unchanged");
        }
        else if (whatIf)
        {
            Done($"ServiceAccount {request.ServiceAccount}: would be "
                + $"{(plan.ServiceAccount == ChangeAction.Create ? "created" : "updated")}: "
                + DescribeServiceAccountChange(observed.ServiceAccount, plan));
        }
        else
        {
            var result = await cluster!.ApplyServiceAccountAsync(
                request.Namespace, request.ServiceAccountName, plan.Annotations, plan.Labels, cancellationToken);
            Done($"ServiceAccount {request.ServiceAccount}: {(result.Created ? "created" : "updated")} "
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

    private static string Count(int count, string noun, string? plural = null) =>
        $"{count} {(count == 1 ? noun : plural ?? noun + "s")}";
}
