namespace ConfigureWorkloadIdentity.Binding;

/// <summary>The task.json input names; the CLI uses the same names in kebab-case.</summary>
internal static class InputNames
{
    public const string AzureSubscription = "azureSubscription";
    public const string ResourceGroup = "resourceGroup";
    public const string IdentityName = "identityName";
    public const string IssuerSource = "issuerSource";
    public const string ClusterResourceGroup = "clusterResourceGroup";
    public const string ClusterName = "clusterName";
    public const string IssuerUrl = "issuerUrl";
    public const string Namespace = "namespace";
    public const string ServiceAccountName = "serviceAccountName";
    public const string FederatedCredentialName = "federatedCredentialName";
    public const string CreateNamespace = "createNamespace";
    public const string Kubeconfig = "kubeconfig";
    public const string ClusterConnection = "clusterConnection";
    public const string KubernetesServiceConnection = "kubernetesServiceConnection";
    public const string UseClusterAdmin = "useClusterAdmin";
    public const string KubeconfigContext = "kubeconfigContext";
    public const string WhatIf = "whatIf";
    public const string Verify = "verify";
    public const string VerifyTimeout = "verifyTimeout";
    public const string Action = "action";
    public const string Workloads = "workloads";
    public const string RoleAssignments = "roleAssignments";
    public const string CreateIdentity = "createIdentity";
    public const string IdentityLocation = "identityLocation";
    public const string IdentityTags = "identityTags";
    public const string ServiceAccountLabels = "serviceAccountLabels";
    public const string ServiceAccountAnnotations = "serviceAccountAnnotations";
    public const string AnnotateTenantId = "annotateTenantId";
    public const string ServiceAccountTokenExpiration = "serviceAccountTokenExpiration";
    public const string RepointFederatedCredential = "repointFederatedCredential";
    public const string ManifestPath = "manifestPath";

    /// <summary>Every input name above.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AzureSubscription, ResourceGroup, IdentityName, IssuerSource, ClusterResourceGroup, ClusterName, IssuerUrl,
        Namespace, ServiceAccountName, FederatedCredentialName, CreateNamespace, Kubeconfig, ClusterConnection,
        KubernetesServiceConnection, UseClusterAdmin, KubeconfigContext, WhatIf, Verify, VerifyTimeout,
        Action, Workloads, RoleAssignments, CreateIdentity, IdentityLocation, IdentityTags, ServiceAccountLabels,
        ServiceAccountAnnotations, AnnotateTenantId, ServiceAccountTokenExpiration, RepointFederatedCredential,
        ManifestPath,
    ];
}
