using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>Collects the raw input values, keyed by task.json input name, from either front end.</summary>
internal static class TaskInputs
{
    // The service connection is read separately (AzureServiceConnection), with its endpoint variables.
    private static readonly string[] Names = [.. InputNames.All.Where(n => n != InputNames.AzureSubscription)];

    /// <summary>From the agent's INPUT_* variables.</summary>
    public static IReadOnlyDictionary<string, string> FromAgent(AgentEnvironment environment) =>
        Names.Where(n => environment.Input(n) is not null)
            .ToDictionary(n => n, n => environment.Input(n)!, StringComparer.OrdinalIgnoreCase);

    /// <summary>From the command line.</summary>
    public static IReadOnlyDictionary<string, string> FromCli(CliOptions options)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [InputNames.ResourceGroup] = options.ResourceGroup,
            [InputNames.IdentityName] = options.IdentityName,
            [InputNames.IssuerSource] = options.IssuerSource,
            [InputNames.ClusterResourceGroup] = options.ClusterResourceGroup,
            [InputNames.ClusterName] = options.ClusterName,
            [InputNames.IssuerUrl] = options.IssuerUrl,
            [InputNames.Namespace] = options.Namespace,
            [InputNames.ServiceAccountName] = options.ServiceAccountName,
            [InputNames.FederatedCredentialName] = options.FederatedCredentialName,
            [InputNames.CreateNamespace] = options.CreateNamespace,
            [InputNames.Kubeconfig] = options.Kubeconfig,
            // Outside a pipeline the current kubeconfig is the natural default.
            [InputNames.ClusterConnection] = options.ClusterConnection ?? "kubeconfig",
            [InputNames.UseClusterAdmin] = options.UseClusterAdmin,
            [InputNames.KubeconfigContext] = options.KubeconfigContext,
            [InputNames.WhatIf] = options.WhatIf ? "true" : null,
            [InputNames.Verify] = options.Verify,
            [InputNames.VerifyTimeout] = options.VerifyTimeout,
            [InputNames.Action] = options.Action,
            [InputNames.Workloads] = ReadFile(InputNames.Workloads, options.Workloads),
            [InputNames.RoleAssignments] = ReadFile(InputNames.RoleAssignments, options.RoleAssignments),
            [InputNames.CreateIdentity] = options.CreateIdentity,
            [InputNames.IdentityLocation] = options.IdentityLocation,
            [InputNames.IdentityTags] = Pairs(InputNames.IdentityTags, options.IdentityTags),
            [InputNames.ServiceAccountLabels] = Pairs(InputNames.ServiceAccountLabels, options.ServiceAccountLabels),
            [InputNames.ServiceAccountAnnotations] =
                Pairs(InputNames.ServiceAccountAnnotations, options.ServiceAccountAnnotations),
            [InputNames.AnnotateTenantId] = options.AnnotateTenantId,
            [InputNames.ServiceAccountTokenExpiration] = options.ServiceAccountTokenExpiration,
            [InputNames.RepointFederatedCredential] = options.RepointFederatedCredential,
            [InputNames.ManifestPath] = options.ManifestPath,
        };
        return values.Where(v => v.Value is not null)
            .ToDictionary(v => v.Key, v => v.Value!, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A YAML list option on the command line: "@path" reads a file (a workloads list is long), anything else is
    /// the YAML itself. A file that cannot be read becomes an input error that names it.
    /// </summary>
    private static string? ReadFile(string input, string? value)
    {
        if (value is not ['@', .. var path])
        {
            return value;
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new InputValidationException(
                [new InputError(input, $"Input '{input}' names '{path}', which cannot be read: {ex.Message}")]);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InputValidationException(
                [new InputError(input, $"Input '{input}' names '{path}', which cannot be read: {ex.Message}")]);
        }
    }

    /// <summary>Repeated key=value options as the YAML mapping the input takes.</summary>
    private static string? Pairs(string input, IEnumerable<string>? pairs)
    {
        var lines = new List<string>();
        foreach (var pair in pairs ?? [])
        {
            if (pair.Split('=', 2) is not [{ Length: > 0 } key, var value])
            {
                throw new InputValidationException([new InputError(input,
                    $"Input '{input}' ('{RequestReader.Echo(pair)}') must be key=value, such as team=payments.")]);
            }

            lines.Add($"{Quote(key)}: {Quote(value)}");
        }

        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    private static string Quote(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";
}
