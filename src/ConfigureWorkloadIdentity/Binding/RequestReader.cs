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

        var resourceGroup = Required(InputNames.ResourceGroup, InputRules.ResourceGroupName);

        // The cluster's resource group defaults to the identity's, which is checked already.
        string ClusterGroup()
        {
            var group = Get(InputNames.ClusterResourceGroup);
            if (group.Length == 0)
            {
                return resourceGroup;
            }

            Check(InputNames.ClusterResourceGroup, group, InputRules.ResourceGroupName);
            return group;
        }

        var identityName = Required(InputNames.IdentityName, InputRules.IdentityName);

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

        var ns = Required(InputNames.Namespace, InputRules.Dns1123Label);
        var serviceAccount = Required(InputNames.ServiceAccountName, InputRules.Dns1123Subdomain);

        var credentialName = Get(InputNames.FederatedCredentialName);
        if (credentialName.Length > 0)
        {
            Check(InputNames.FederatedCredentialName, credentialName, InputRules.CredentialName);
        }

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

        if (errors.Count > 0)
        {
            throw new InputValidationException(errors);
        }

        var binding = new BindingRequest(
            new IdentityReference(subscriptionId, resourceGroup, identityName),
            cluster,
            issuerUrl,
            ns,
            serviceAccount,
            credentialName.Length > 0 ? credentialName : null,
            createNamespace);
        return new RunRequest(binding, kubeconfig.Length > 0 ? Path.GetFullPath(kubeconfig) : null, whatIf)
        {
            Verify = verify,
            VerifyTimeout = verifyTimeout,
            ClusterConnection = clusterConnection,
            AksCluster = clusterConnection == ClusterConnectionKind.AzureResourceManager ? cluster : null,
            UseClusterAdmin = useClusterAdmin,
            KubeconfigContext = context.Length > 0 ? context : null,
            KubernetesServiceConnectionId = kubernetesConnection,
        };
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
