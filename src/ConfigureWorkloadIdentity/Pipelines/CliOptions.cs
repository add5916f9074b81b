using CommandLine;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>The command line: the task's inputs in kebab-case, plus how to sign in from a laptop.</summary>
internal sealed class CliOptions
{
    [Option("subscription", HelpText = "Subscription id of the identity and cluster. Default: AZURE_SUBSCRIPTION_ID.")]
    public string? Subscription { get; set; }

    [Option("resource-group", HelpText = "Resource group of the user-assigned managed identity.")]
    public string? ResourceGroup { get; set; }

    [Option("identity-name", HelpText = "Name of the user-assigned managed identity.")]
    public string? IdentityName { get; set; }

    [Option("issuer-source", HelpText = "Where the OIDC issuer comes from: aksCluster (default) or issuerUrl.")]
    public string? IssuerSource { get; set; }

    [Option("cluster-resource-group", HelpText = "Resource group of the AKS cluster. Default: --resource-group.")]
    public string? ClusterResourceGroup { get; set; }

    [Option("cluster-name", HelpText = "The AKS cluster whose OIDC issuer is trusted (--issuer-source aksCluster).")]
    public string? ClusterName { get; set; }

    [Option("issuer-url", HelpText = "The OIDC issuer URL, verbatim (with --issuer-source issuerUrl).")]
    public string? IssuerUrl { get; set; }

    [Option("namespace", HelpText = "Kubernetes namespace of the ServiceAccount.")]
    public string? Namespace { get; set; }

    [Option("service-account-name", HelpText = "Name of the ServiceAccount the workload runs as.")]
    public string? ServiceAccountName { get; set; }

    [Option("federated-credential-name", HelpText = "Federated credential name. Default: derived, stable.")]
    public string? FederatedCredentialName { get; set; }

    [Option("create-namespace", HelpText = "true (default) or false: create the namespace when missing.")]
    public string? CreateNamespace { get; set; }

    [Option("kubeconfig", HelpText = "Kubeconfig path. Default: KUBECONFIG, then ~/.kube/config (current context).")]
    public string? Kubeconfig { get; set; }

    [Option("verify", HelpText = "true (default) or false: prove the trust with a token exchange after applying.")]
    public string? Verify { get; set; }

    [Option("verify-timeout", HelpText = "How long verification waits for propagation, e.g. 90s or 5m (default).")]
    public string? VerifyTimeout { get; set; }

    [Option("what-if", HelpText = "Read and plan only: print each change with its before and after; write nothing.")]
    public bool WhatIf { get; set; }

    [Option("kubeconfig-context", HelpText = "Kubeconfig context. Default: the kubeconfig's current context.")]
    public string? KubeconfigContext { get; set; }

    [Option("cluster-connection", HelpText =
        "kubeconfig (default) or azureResourceManager: the AKS cluster's credentials through Azure.")]
    public string? ClusterConnection { get; set; }

    [Option("use-cluster-admin", HelpText = "true or false (default): admin credentials with azureResourceManager.")]
    public string? UseClusterAdmin { get; set; }

    [Option("action", HelpText = "apply (default), remove, or render (Azure side, and manifests to --manifest-path).")]
    public string? Action { get; set; }

    [Option("workloads", HelpText =
        "Many bindings: a YAML list (namespace, serviceAccountName, identityName...), or @file to read it.")]
    public string? Workloads { get; set; }

    [Option("role-assignments", HelpText = "Roles for the identity: a YAML list of role and scope, or @file.")]
    public string? RoleAssignments { get; set; }

    [Option("create-identity", HelpText = "true or false (default): create the identity when it is missing.")]
    public string? CreateIdentity { get; set; }

    [Option("identity-location", HelpText = "Region of a created identity. Default: the AKS cluster's.")]
    public string? IdentityLocation { get; set; }

    [Option("identity-tags", HelpText = "A tag for a created identity, key=value; repeat the option for more.")]
    public IEnumerable<string>? IdentityTags { get; set; }

    [Option("service-account-labels", HelpText = "An extra ServiceAccount label, key=value; repeatable.")]
    public IEnumerable<string>? ServiceAccountLabels { get; set; }

    [Option("service-account-annotations", HelpText = "An extra ServiceAccount annotation, key=value; repeatable.")]
    public IEnumerable<string>? ServiceAccountAnnotations { get; set; }

    [Option("annotate-tenant-id", HelpText = "true or false (default): also annotate the identity's tenant id.")]
    public string? AnnotateTenantId { get; set; }

    [Option("service-account-token-expiration", HelpText = "Projected token lifetime, 1 to 24 hours, e.g. 24h.")]
    public string? ServiceAccountTokenExpiration { get; set; }

    [Option("repoint-federated-credential", HelpText =
        "true or false (default): repoint --federated-credential-name that exists for another issuer or subject.")]
    public string? RepointFederatedCredential { get; set; }

    [Option("manifest-path", HelpText = "Where --action render writes manifests. Default: ./workload-identity.yaml.")]
    public string? ManifestPath { get; set; }

    [Option("tenant", HelpText = "Entra tenant to sign in to with the Azure CLI credential.")]
    public string? Tenant { get; set; }

    [Option("cloud", HelpText = "AzureCloud (default), AzureUSGovernment or AzureChinaCloud.")]
    public string? Cloud { get; set; }

    [Option("arm-endpoint", HelpText = "Resource Manager URL, overriding --cloud's (private or emulated clouds).")]
    public string? ArmEndpoint { get; set; }

    [Option("authority-host", HelpText = "Entra ID authority URL, overriding --cloud's.")]
    public string? AuthorityHost { get; set; }

    [Option("arm-audience", HelpText = "Resource Manager token audience, overriding --cloud's.")]
    public string? ArmAudience { get; set; }

    [Option('v', "verbose", HelpText = "Print debug details.")]
    public bool Verbose { get; set; }

    /// <summary>Words that belong to no option, such as the "false" in "--what-if false"; each is an error.</summary>
    [Value(0, Hidden = true)]
    public IEnumerable<string>? Stray { get; set; }
}
