namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Turns raw input values (from the agent's environment or the command line, keyed by task.json input name)
/// into one validated <see cref="RunRequest"/>, reporting every bad input at once and before any network call.
/// </summary>
internal static class RequestReader
{
    private const int EchoLimit = 80;

    /// <summary>Reads and validates the inputs; throws <see cref="InputValidationException"/> on any error.</summary>
    public static RunRequest Read(IReadOnlyDictionary<string, string> inputs, string subscriptionId)
    {
        var errors = new List<InputError>();
        string Get(string name) => inputs.TryGetValue(name, out var v) ? v.Trim() : "";

        string Required(string name, Func<string, string?> rule)
        {
            var value = Get(name);
            if (value.Length == 0)
            {
                errors.Add(new InputError(name, $"Input '{name}' is required."));
            }
            else
            {
                Check(name, value, rule);
            }

            return value;
        }

        void Check(string name, string value, Func<string, string?> rule, string? shown = null)
        {
            if (rule(value) is { } reason)
            {
                errors.Add(new InputError(name, $"Input '{name}' ('{Echo(shown ?? value)}') {reason}"));
            }
        }

        var workloadsText = Get(InputNames.Workloads);
        var workloads = workloadsText.Length > 0 ? WorkloadList.ReadWorkloads(workloadsText, errors) : null;

        // With a workloads list the step's identity inputs are defaults for its entries, so they may be empty.
        var resourceGroup = workloads is null
            ? Required(InputNames.ResourceGroup, InputRules.ResourceGroupName)
            : Optional(InputNames.ResourceGroup, InputRules.ResourceGroupName);

        // The cluster's resource group defaults to the identity's, which is checked already.
        string ClusterGroup()
        {
            var group = Get(InputNames.ClusterResourceGroup);
            if (group.Length == 0)
            {
                if (resourceGroup.Length == 0)
                {
                    errors.Add(new InputError(InputNames.ClusterResourceGroup,
                        $"Input '{InputNames.ClusterResourceGroup}' is required when '{InputNames.ResourceGroup}' "
                        + "is empty: name the AKS cluster's resource group."));
                }

                return resourceGroup;
            }

            Check(InputNames.ClusterResourceGroup, group, InputRules.ResourceGroupName);
            return group;
        }

        string Optional(string name, Func<string, string?> rule)
        {
            var value = Get(name);
            if (value.Length > 0)
            {
                Check(name, value, rule);
            }

            return value;
        }

        var identityName = workloads is null
            ? Required(InputNames.IdentityName, InputRules.IdentityName)
            : Optional(InputNames.IdentityName, InputRules.IdentityName);

        var clusterConnection = ReadClusterConnection(Get(InputNames.ClusterConnection), errors);
        var issuerSource = Get(InputNames.IssuerSource);
        var issuerFromCluster = issuerSource.Length == 0
            || issuerSource.Equals("aksCluster", StringComparison.OrdinalIgnoreCase);
        ClusterReference? cluster = null;
        string? issuerUrl = null;
        if (issuerFromCluster || clusterConnection == ClusterConnectionKind.AzureResourceManager)
        {
            var clusterName = Get(InputNames.ClusterName);
            if (clusterName.Length == 0)
            {
                errors.Add(new InputError(InputNames.ClusterName, issuerFromCluster
                    ? $"Input '{InputNames.ClusterName}' is required when '{InputNames.IssuerSource}' is "
                      + $"\"aksCluster\": name the AKS cluster, or set '{InputNames.IssuerSource}' to \"issuerUrl\" "
                      + $"and give '{InputNames.IssuerUrl}'."
                    : $"Input '{InputNames.ClusterName}' is required when '{InputNames.ClusterConnection}' is "
                      + $"\"azureResourceManager\": name the AKS cluster whose credentials to use, or set "
                      + $"'{InputNames.ClusterConnection}' to \"kubernetesServiceConnection\" or \"kubeconfig\"."));
            }
            else
            {
                Check(InputNames.ClusterName, clusterName, InputRules.ClusterName);
            }

            cluster = new ClusterReference(subscriptionId, ClusterGroup(), clusterName);
        }

        if (issuerFromCluster)
        {
            // The issuer comes from the cluster read above.
        }
        else if (issuerSource.Equals("issuerUrl", StringComparison.OrdinalIgnoreCase))
        {
            // Not trimmed beyond what the agent did: a stray space in an issuer is an error, not a fix-up.
            issuerUrl = inputs.TryGetValue(InputNames.IssuerUrl, out var raw) ? raw : "";
            if (issuerUrl.Trim().Length == 0)
            {
                errors.Add(new InputError(InputNames.IssuerUrl,
                    $"Input '{InputNames.IssuerUrl}' is required when '{InputNames.IssuerSource}' is \"issuerUrl\"."));
            }
            else
            {
                Check(InputNames.IssuerUrl, issuerUrl, InputRules.Issuer, RedactUserInfo(issuerUrl));
            }

            // A cluster named as well is read to check the given issuer against the one it reports.
            var clusterName = Get(InputNames.ClusterName);
            if (cluster is null && clusterName.Length > 0)
            {
                Check(InputNames.ClusterName, clusterName, InputRules.ClusterName);
                cluster = new ClusterReference(subscriptionId, ClusterGroup(), clusterName);
            }
        }
        else
        {
            errors.Add(new InputError(InputNames.IssuerSource,
                $"Input '{InputNames.IssuerSource}' ('{Echo(issuerSource)}') must be \"aksCluster\" or "
                + "\"issuerUrl\"."));
        }

        var ns = workloads is null
            ? Required(InputNames.Namespace, InputRules.Dns1123Label)
            : Optional(InputNames.Namespace, InputRules.Dns1123Label);
        var serviceAccount = workloads is null
            ? Required(InputNames.ServiceAccountName, InputRules.Dns1123Subdomain)
            : NotWithWorkloads(InputNames.ServiceAccountName);
        var credentialName = workloads is null
            ? Optional(InputNames.FederatedCredentialName, InputRules.CredentialName)
            : NotWithWorkloads(InputNames.FederatedCredentialName);
        IReadOnlyList<RoleGrant> roles = [];
        if (workloads is not null)
        {
            NotWithWorkloads(InputNames.RoleAssignments);
        }
        else if (Get(InputNames.RoleAssignments) is { Length: > 0 } rolesText)
        {
            roles = WorkloadList.ReadRoleAssignments(rolesText, errors);
            CheckRoles($"Input '{InputNames.RoleAssignments}'", InputNames.RoleAssignments, roles, errors);
        }

        // Inputs that belong to one workload: with a list, each entry gives its own.
        string NotWithWorkloads(string name)
        {
            if (Get(name).Length > 0)
            {
                errors.Add(new InputError(name, $"Input '{name}' cannot be used with '{InputNames.Workloads}': give "
                    + $"'{name}' in each entry of '{InputNames.Workloads}' instead."));
            }

            return "";
        }

        var labels = Pairs(InputNames.ServiceAccountLabels, InputRules.LabelValue);
        var annotations = Pairs(InputNames.ServiceAccountAnnotations, InputRules.AnnotationValue);
        IReadOnlyDictionary<string, string> Pairs(string name, Func<string, string?> valueRule)
        {
            var text = Get(name);
            var pairs = text.Length > 0 ? WorkloadList.ReadPairs(name, text, errors) : new Dictionary<string, string>();
            CheckPairs($"Input '{name}'", name, pairs, valueRule, errors);
            return pairs;
        }

        var annotateTenantId = ReadBoolean(
            InputNames.AnnotateTenantId, Get(InputNames.AnnotateTenantId), false, errors);
        var tokenExpiration = ReadTokenExpiration(Get(InputNames.ServiceAccountTokenExpiration), errors);
        var repoint = ReadBoolean(
            InputNames.RepointFederatedCredential, Get(InputNames.RepointFederatedCredential), false, errors);
        var action = ReadAction(Get(InputNames.Action), errors);
        var createIdentity = ReadBoolean(InputNames.CreateIdentity, Get(InputNames.CreateIdentity), false, errors);
        var location = Get(InputNames.IdentityLocation);
        if (location.Length > 0)
        {
            Check(InputNames.IdentityLocation, location, InputRules.Location);
        }

        var tags = Get(InputNames.IdentityTags) is { Length: > 0 } tagsText
            ? WorkloadList.ReadPairs(InputNames.IdentityTags, tagsText, errors)
            : new Dictionary<string, string>();
        var manifestPath = Get(InputNames.ManifestPath);

        var createNamespace = ReadBoolean(InputNames.CreateNamespace, Get(InputNames.CreateNamespace), true, errors);
        var whatIf = ReadBoolean(InputNames.WhatIf, Get(InputNames.WhatIf), false, errors);
        var verify = ReadBoolean(InputNames.Verify, Get(InputNames.Verify), true, errors);
        var verifyTimeout = ReadDuration(InputNames.VerifyTimeout, Get(InputNames.VerifyTimeout), errors);

        // The kubeconfig inputs matter only for a kubeconfig connection; hidden inputs may keep old values.
        var kubeconfig = clusterConnection == ClusterConnectionKind.Kubeconfig ? Get(InputNames.Kubeconfig) : "";
        if (kubeconfig.Length > 0 && !File.Exists(kubeconfig))
        {
            errors.Add(new InputError(InputNames.Kubeconfig,
                $"Input '{InputNames.Kubeconfig}' names '{Echo(kubeconfig)}', which does not exist. "
                + "Give the path of a kubeconfig file, or leave it empty to use KUBECONFIG or ~/.kube/config."));
        }

        var context = clusterConnection == ClusterConnectionKind.Kubeconfig ? Get(InputNames.KubeconfigContext) : "";
        var useClusterAdmin = ReadBoolean(InputNames.UseClusterAdmin, Get(InputNames.UseClusterAdmin), false, errors);
        string? kubernetesConnection = null;
        if (clusterConnection == ClusterConnectionKind.KubernetesServiceConnection)
        {
            var raw = Get(InputNames.KubernetesServiceConnection);
            if (Guid.TryParse(raw, out var id))
            {
                kubernetesConnection = id.ToString("D");
            }
            else
            {
                errors.Add(new InputError(InputNames.KubernetesServiceConnection, raw.Length == 0
                    ? $"Input '{InputNames.KubernetesServiceConnection}' is required when "
                      + $"'{InputNames.ClusterConnection}' is \"kubernetesServiceConnection\": choose a Kubernetes "
                      + "service connection."
                    : $"Input '{InputNames.KubernetesServiceConnection}' ('{Echo(raw)}') is not a service connection "
                      + "id; choose the connection by name in the task's settings."));
            }
        }

        BindingRequest Binding(
            IdentityReference identity, string bindingNs, string name, string? credential,
            IReadOnlyDictionary<string, string> moreLabels, IReadOnlyDictionary<string, string> moreAnnotations,
            IReadOnlyList<RoleGrant> grants) =>
            new(identity, cluster, issuerUrl, bindingNs, name, credential, createNamespace)
            {
                Labels = Merge(labels, moreLabels),
                Annotations = Merge(annotations, moreAnnotations),
                AnnotateTenantId = annotateTenantId,
                TokenExpiration = tokenExpiration,
                Roles = grants,
                RepointCredential = repoint,
            };

        var bindings = workloads is null
            ? [Binding(new IdentityReference(subscriptionId, resourceGroup, identityName), ns, serviceAccount,
                credentialName.Length > 0 ? credentialName : null, new Dictionary<string, string>(),
                new Dictionary<string, string>(), roles)]
            : ReadEntries(workloads, subscriptionId, resourceGroup, identityName, ns, errors)
                .Select(e => Binding(e.Identity, e.Namespace, e.ServiceAccountName, e.CredentialName, e.Labels,
                    e.Annotations, e.Roles))
                .ToList();
        var manifestFile = action == StepAction.Render && errors.Count == 0
            ? ManifestFile(manifestPath, errors)
            : null;
        if (errors.Count > 0)
        {
            throw new InputValidationException(errors);
        }

        return new RunRequest(bindings, kubeconfig.Length > 0 ? Path.GetFullPath(kubeconfig) : null, whatIf)
        {
            Action = action,
            CreateIdentity = createIdentity ? new IdentityCreation(location.Length > 0 ? location : null, tags) : null,
            ManifestPath = manifestFile,
            Verify = verify,
            VerifyTimeout = verifyTimeout,
            ClusterConnection = clusterConnection,
            AksCluster = clusterConnection == ClusterConnectionKind.AzureResourceManager ? cluster : null,
            UseClusterAdmin = useClusterAdmin,
            KubeconfigContext = context.Length > 0 ? context : null,
            KubernetesServiceConnectionId = kubernetesConnection,
        };
    }

    /// <summary>The most entries one step takes: a spoke has a dozen workloads, and Azure limits writes.</summary>
    public const int MaxWorkloads = 200;

    private static List<(IdentityReference Identity, string Namespace, string ServiceAccountName,
        string? CredentialName, IReadOnlyDictionary<string, string> Labels,
        IReadOnlyDictionary<string, string> Annotations, IReadOnlyList<RoleGrant> Roles)> ReadEntries(
        IReadOnlyList<WorkloadEntry> entries,
        string subscriptionId,
        string defaultGroup,
        string defaultIdentity,
        string defaultNamespace,
        List<InputError> errors)
    {
        if (entries.Count > MaxWorkloads)
        {
            errors.Add(new InputError(InputNames.Workloads, $"Input '{InputNames.Workloads}' has {entries.Count} "
                + $"entries; one step takes at most {MaxWorkloads}. Split the list over several steps."));
        }

        var result = new List<(IdentityReference, string, string, string?, IReadOnlyDictionary<string, string>,
            IReadOnlyDictionary<string, string>, IReadOnlyList<RoleGrant>)>();
        var seen = new Dictionary<string, WorkloadEntry>(StringComparer.Ordinal);
        var names = new Dictionary<string, WorkloadEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            var context = $"Input '{InputNames.Workloads}' {entry.Where}";
            var before = errors.Count;
            string Value(string key, string? value, string fallback, Func<string, string?> rule, string hint)
            {
                var chosen = value ?? fallback;
                if (chosen.Length == 0)
                {
                    errors.Add(new InputError(InputNames.Workloads, $"{context} needs '{key}'{hint}."));
                }
                else if (rule(chosen) is { } reason)
                {
                    errors.Add(new InputError(InputNames.Workloads, $"{context}: '{key}' ('{Echo(chosen)}') {reason}"));
                }

                return chosen;
            }

            IdentityReference identity;
            if (entry.IdentityResourceId is { } id)
            {
                if (entry.IdentityName is not null || entry.ResourceGroup is not null)
                {
                    errors.Add(new InputError(InputNames.Workloads, $"{context} gives both 'identityResourceId' and "
                        + $"'{InputNames.IdentityName}'/'{InputNames.ResourceGroup}'; give one of them."));
                }

                var (parsed, reason) = InputRules.IdentityResourceId(id);
                if (reason is not null)
                {
                    errors.Add(new InputError(InputNames.Workloads,
                        $"{context}: 'identityResourceId' ('{Echo(id)}') {reason}"));
                }

                identity = parsed ?? new IdentityReference(subscriptionId, "", "");
            }
            else
            {
                var group = Value(InputNames.ResourceGroup, entry.ResourceGroup, defaultGroup,
                    InputRules.ResourceGroupName, $" (or the step's input '{InputNames.ResourceGroup}' as default)");
                var name = Value(InputNames.IdentityName, entry.IdentityName, defaultIdentity, InputRules.IdentityName,
                    $" or 'identityResourceId' (or the step's input '{InputNames.IdentityName}' as default)");
                identity = new IdentityReference(subscriptionId, group, name);
            }

            var ns = Value(InputNames.Namespace, entry.Namespace, defaultNamespace, InputRules.Dns1123Label,
                $" (or the step's input '{InputNames.Namespace}' as default)");
            var account = Value(InputNames.ServiceAccountName, entry.ServiceAccountName, "",
                InputRules.Dns1123Subdomain, "");
            var credential = entry.FederatedCredentialName is { Length: > 0 } given
                ? Value(InputNames.FederatedCredentialName, given, "", InputRules.CredentialName, "")
                : null;
            var labels = entry.Labels ?? new Dictionary<string, string>();
            CheckPairs($"{context}: 'labels'", InputNames.Workloads, labels, InputRules.LabelValue, errors);
            var annotations = entry.Annotations ?? new Dictionary<string, string>();
            CheckPairs($"{context}: 'annotations'", InputNames.Workloads, annotations, InputRules.AnnotationValue,
                errors);
            var roles = entry.RoleAssignments ?? [];
            CheckRoles($"{context}: '{InputNames.RoleAssignments}'", InputNames.Workloads, roles, errors);
            if (errors.Count > before)
            {
                continue;
            }

            if (seen.TryGetValue($"{ns}/{account}", out var first))
            {
                errors.Add(new InputError(InputNames.Workloads, $"{context} binds ServiceAccount {ns}/{account}, "
                    + $"which {first.Where} binds already; each ServiceAccount can appear once."));
                continue;
            }

            // Credential names are unique per identity, in any letter case: a second entry would repoint the first.
            if (credential is not null && !names.TryAdd($"{identity.ResourceId}|{credential}", entry))
            {
                errors.Add(new InputError(InputNames.Workloads, $"{context} names federated credential "
                    + $"'{credential}', which {names[$"{identity.ResourceId}|{credential}"].Where} names for the same "
                    + "identity; each binding needs its own credential name (or none, for a derived one)."));
                continue;
            }

            seen[$"{ns}/{account}"] = entry;
            result.Add((identity, ns, account, credential, labels, annotations, roles));
        }

        return result;
    }

    private static void CheckPairs(
        string context,
        string input,
        IReadOnlyDictionary<string, string> pairs,
        Func<string, string?> valueRule,
        List<InputError> errors)
    {
        foreach (var (key, value) in pairs)
        {
            if (InputRules.MetadataKey(key) is { } keyReason)
            {
                errors.Add(new InputError(input, $"{context}: key '{Echo(key)}' {keyReason}"));
            }
            else if (valueRule(value) is { } valueReason)
            {
                errors.Add(new InputError(input, $"{context}: the value of '{key}' ('{Echo(value)}') {valueReason}"));
            }
        }
    }

    private static void CheckRoles(
        string context,
        string input,
        IReadOnlyList<RoleGrant> roles,
        List<InputError> errors)
    {
        foreach (var grant in roles)
        {
            if (InputRules.Role(grant.Role) is { } roleReason)
            {
                errors.Add(new InputError(input, $"{context}: role '{Echo(grant.Role)}' {roleReason}"));
            }

            if (InputRules.RoleScope(grant.Scope) is { } scopeReason)
            {
                errors.Add(new InputError(input, $"{context}: scope '{Echo(grant.Scope)}' {scopeReason}"));
            }
        }

        var twice = roles.GroupBy(r => (r.Role.ToUpperInvariant(), r.Scope.ToUpperInvariant()))
            .FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            errors.Add(new InputError(input, $"{context} names role '{Echo(twice.First().Role)}' on scope "
                + $"'{Echo(twice.First().Scope)}' twice."));
        }
    }

    private static Dictionary<string, string> Merge(
        IReadOnlyDictionary<string, string> step,
        IReadOnlyDictionary<string, string> entry)
    {
        var merged = new Dictionary<string, string>(step, StringComparer.Ordinal);
        foreach (var (key, value) in entry)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>
    /// The projected token lifetime: seconds ("7200"), or with a unit ("7200s", "120m", "2h"); the webhook takes
    /// 3600 to 86400 seconds. Null when empty (the webhook's default, one hour).
    /// </summary>
    public static TimeSpan? ReadTokenExpiration(string value, List<InputError> errors)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var unit = value[^1];
        var number = char.IsAsciiDigit(unit) ? value : value[..^1];
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (int.TryParse(number, System.Globalization.NumberStyles.None, invariant, out var amount)
            && unit switch
            {
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                's' => TimeSpan.FromSeconds(amount),
                _ when char.IsAsciiDigit(unit) => TimeSpan.FromSeconds(amount),
                _ => TimeSpan.Zero,
            } is var lifetime
            && lifetime >= TimeSpan.FromHours(1) && lifetime <= TimeSpan.FromHours(24))
        {
            return lifetime;
        }

        errors.Add(new InputError(InputNames.ServiceAccountTokenExpiration,
            $"Input '{InputNames.ServiceAccountTokenExpiration}' ('{Echo(value)}') must be from 1 to 24 hours (the "
            + "workload identity webhook accepts 3600 to 86400 seconds), such as '3600', '90m' or '24h'."));
        return null;
    }

    private static StepAction ReadAction(string value, List<InputError> errors)
    {
        if (value.Length == 0)
        {
            return StepAction.Apply;
        }

        if (Enum.TryParse<StepAction>(value, ignoreCase: true, out var action) && value.All(char.IsAsciiLetter))
        {
            return action;
        }

        errors.Add(new InputError(InputNames.Action,
            $"Input '{InputNames.Action}' ('{Echo(value)}') must be \"apply\", \"remove\" or \"render\"."));
        return StepAction.Apply;
    }

    /// <summary>
    /// Where render writes: the given path, or workload-identity.yaml in the working directory. Its folder is
    /// created now, so a path that cannot be written fails before anything in Azure is changed.
    /// </summary>
    private static string ManifestFile(string path, List<InputError> errors)
    {
        var full = Path.GetFullPath(path.Length > 0 ? path : "workload-identity.yaml");
        string? problem = null;
        if (Directory.Exists(full))
        {
            problem = "is a folder";
        }
        else
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            }
            catch (IOException ex)
            {
                problem = $"cannot be written: {ex.Message}";
            }
            catch (UnauthorizedAccessException ex)
            {
                problem = $"cannot be written: {ex.Message}";
            }
        }

        if (problem is not null)
        {
            errors.Add(new InputError(InputNames.ManifestPath, $"Input '{InputNames.ManifestPath}' ('{Echo(full)}') "
                + $"{problem}. Give the path of a YAML file in a folder the agent can write to."));
        }

        return full;
    }

    private static ClusterConnectionKind ReadClusterConnection(string value, List<InputError> errors)
    {
        if (value.Length == 0 || value.Equals("azureResourceManager", StringComparison.OrdinalIgnoreCase))
        {
            return ClusterConnectionKind.AzureResourceManager;
        }

        if (value.Equals("kubernetesServiceConnection", StringComparison.OrdinalIgnoreCase))
        {
            return ClusterConnectionKind.KubernetesServiceConnection;
        }

        if (value.Equals("kubeconfig", StringComparison.OrdinalIgnoreCase))
        {
            return ClusterConnectionKind.Kubeconfig;
        }

        errors.Add(new InputError(InputNames.ClusterConnection,
            $"Input '{InputNames.ClusterConnection}' ('{Echo(value)}') must be \"azureResourceManager\", "
            + "\"kubernetesServiceConnection\" or \"kubeconfig\"."));
        return ClusterConnectionKind.AzureResourceManager;
    }

    /// <summary>
    /// Reads a duration: seconds ("300", "300s") or minutes ("5m"), from 10 seconds to an hour; 5 minutes when
    /// empty.
    /// </summary>
    public static TimeSpan ReadDuration(string name, string value, List<InputError> errors)
    {
        if (value.Length == 0)
        {
            return TimeSpan.FromMinutes(5);
        }

        var minutes = value.EndsWith('m');
        var number = value.TrimEnd('m', 's');
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (int.TryParse(number, System.Globalization.NumberStyles.None, invariant, out var amount)
            && (minutes ? TimeSpan.FromMinutes(amount) : TimeSpan.FromSeconds(amount)) is var duration
            && duration >= TimeSpan.FromSeconds(10) && duration <= TimeSpan.FromHours(1))
        {
            return duration;
        }

        errors.Add(new InputError(name,
            $"Input '{name}' ('{Echo(value)}') must be a duration from 10 seconds to 60 minutes, such as '90s' or "
            + "'5m'."));
        return TimeSpan.FromMinutes(5);
    }

    /// <summary>Reads a boolean input the way the agent spells booleans: true or false, any case.</summary>
    public static bool ReadBoolean(string name, string value, bool defaultValue, List<InputError> errors)
    {
        if (value.Length == 0)
        {
            return defaultValue;
        }

        if (bool.TryParse(value, out var parsed))
        {
            return parsed;
        }

        errors.Add(new InputError(name, $"Input '{name}' ('{Echo(value)}') must be 'true' or 'false'."));
        return defaultValue;
    }

    /// <summary>A URL as it may be printed: any user name and password replaced by ***.</summary>
    public static string RedactUserInfo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : url;

    /// <summary>Shortens a value for an error message and makes control characters visible.</summary>
    public static string Echo(string value)
    {
        var visible = string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return visible.Length <= EchoLimit ? visible : visible[..EchoLimit] + "...";
    }
}
