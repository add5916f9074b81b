using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>Collects the raw input values, keyed by task.json input name, from either front end.</summary>
internal static class TaskInputs
{
    private static readonly string[] Names =
    [
        InputNames.ResourceGroup, InputNames.IdentityName, InputNames.IssuerSource, InputNames.ClusterResourceGroup,
        InputNames.ClusterName, InputNames.IssuerUrl, InputNames.Namespace, InputNames.ServiceAccountName,
        InputNames.FederatedCredentialName, InputNames.CreateNamespace, InputNames.Kubeconfig,
        InputNames.ClusterConnection, InputNames.KubernetesServiceConnection, InputNames.UseClusterAdmin,
        InputNames.KubeconfigContext, InputNames.WhatIf, InputNames.Verify, InputNames.VerifyTimeout,
    ];

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
        };
        return values.Where(v => v.Value is not null)
            .ToDictionary(v => v.Key, v => v.Value!, StringComparer.OrdinalIgnoreCase);
    }
}
