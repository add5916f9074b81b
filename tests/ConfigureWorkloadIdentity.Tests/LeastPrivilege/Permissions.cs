namespace ConfigureWorkloadIdentity.Tests.LeastPrivilege;

/// <summary>
/// Exactly what each mode of the task may call, derived from the code (ArmClient, ClusterClient and who calls them):
/// the single source of the tables in docs/least-privilege.md (a test checks the document lists exactly these) and
/// of the grants the least-privilege end-to-end tests give the emulators.
/// </summary>
public static class Permissions
{
    /// <summary>The default mode: action apply, clusterConnection azureResourceManager with user credentials.</summary>
    public const string Apply = "apply";

    /// <summary>Apply with whatIf: true (reads only; remove with whatIf needs the same reads as remove).</summary>
    public const string WhatIf = "whatIf";

    /// <summary>Apply with clusterConnection kubeconfig or kubernetesServiceConnection.</summary>
    public const string Kubeconfig = "kubeconfig";

    /// <summary>Apply with useClusterAdmin: true (admin credentials are cluster-admin: no Kubernetes grants).</summary>
    public const string ClusterAdmin = "clusterAdmin";

    /// <summary>Action remove.</summary>
    public const string Remove = "remove";

    /// <summary>Action render (the cluster is not reached).</summary>
    public const string Render = "render";

    /// <summary>The step fails with the refused action or verb in its error.</summary>
    public const string Fails = "fails";

    /// <summary>The step goes on with a warning.</summary>
    public const string Warning = "warning";

    /// <summary>The step goes on without the workload hints (a debug line says so).</summary>
    public const string NoHints = "no hints";

    /// <summary>The step goes on without the webhook dry run (a debug line says so).</summary>
    public const string NoDryRun = "no dry run";

    /// <summary>Conditions, as the document's When column states them.</summary>
    public const string Always = "always";
    public const string ClusterNamed = "`clusterName` is set (`issuerSource: aksCluster`)";
    public const string UserCredentials = "`clusterConnection: azureResourceManager`";
    public const string AdminCredentials = "`clusterConnection: azureResourceManager`, `useClusterAdmin: true`";
    public const string IdentityExists = "the identity exists";
    public const string CredentialChanges = "the credential is missing or differs";
    public const string CredentialExists = "the binding's credential exists";
    public const string CreateIdentity = "`createIdentity: true` and the identity is missing";
    public const string Roles = "`roleAssignments` is set";
    public const string RoleMissing = "a role in `roleAssignments` is not held yet";
    public const string RoleOurs = "the task's assignment of a role in `roleAssignments` exists";
    public const string ServiceAccountMissing = "the ServiceAccount does not exist";
    public const string NamespaceMissing = "the namespace does not exist and `createNamespace: true` (default)";
    public const string ServiceAccountChanges = "the ServiceAccount is missing or differs";
    public const string ServiceAccountRelease = "the task's fields are taken back from a ServiceAccount others use";
    public const string ServiceAccountOnlyOurs = "nothing but the task owns the ServiceAccount";
    public const string Verify = "`verify: true` (default)";
    public const string WorkloadHints = "a ServiceAccount in an existing namespace changes";
    public const string DryRun = "`verify: true` (default), server-side dry run only";

    /// <summary>Scope names of the Azure table.</summary>
    public const string Identity = "identity";
    public const string IdentityGroup = "identity resource group";
    public const string Cluster = "cluster";
    public const string RoleScope = "role scope";

    /// <summary>Scope names of the Kubernetes table.</summary>
    public const string ClusterScope = "cluster";
    public const string NamespaceScope = "namespace";

    /// <summary>Every mode, in the document's column order.</summary>
    public static readonly IReadOnlyList<string> Modes = [Apply, WhatIf, Kubeconfig, ClusterAdmin, Remove, Render];

    /// <summary>The values of the Without it column.</summary>
    public static readonly IReadOnlyList<string> Outcomes = [Fails, Warning, NoHints, NoDryRun];

    /// <summary>The values of the Azure Scope column.</summary>
    public static readonly IReadOnlyList<string> AzureScopes = [Identity, IdentityGroup, Cluster, RoleScope];

    private const string Mi = "Microsoft.ManagedIdentity/userAssignedIdentities";
    private const string Fic = Mi + "/federatedIdentityCredentials";
    private const string Aks = "Microsoft.ContainerService/managedClusters";
    private const string Authorization = "Microsoft.Authorization";

    private static readonly string[] All = [Apply, WhatIf, Kubeconfig, ClusterAdmin, Remove, Render];
    private static readonly string[] Writes = [Apply, Kubeconfig, ClusterAdmin, Render];
    private static readonly string[] ReachesCluster = [Apply, WhatIf, Kubeconfig, Remove];
    private static readonly string[] AppliesToCluster = [Apply, Kubeconfig];
    private static readonly string[] Hints = [Apply, WhatIf, Kubeconfig];

    /// <summary>The Azure actions, in the document's row order.</summary>
    public static readonly IReadOnlyList<AzurePermission> Azure =
    [
        new(Mi + "/read", Identity, Always, Fails, All),
        new(Fic + "/read", Identity, IdentityExists, Fails, All),
        new(Fic + "/write", Identity, CredentialChanges, Fails, Writes),
        new(Fic + "/delete", Identity, CredentialExists, Fails, [Remove]),
        new(Mi + "/write", IdentityGroup, CreateIdentity, Fails, Writes),
        new(Aks + "/read", Cluster, ClusterNamed, Fails, All),
        new(Aks + "/listClusterUserCredential/action", Cluster, UserCredentials, Fails, [Apply, WhatIf, Remove]),
        new(Aks + "/listClusterAdminCredential/action", Cluster, AdminCredentials, Fails, [ClusterAdmin]),
        new(Authorization + "/roleDefinitions/read", RoleScope, Roles, Fails, All),
        new(Authorization + "/roleAssignments/read", RoleScope, Roles, Fails, All),
        new(Authorization + "/roleAssignments/write", RoleScope, RoleMissing, Fails, Writes),
        new(Authorization + "/roleAssignments/delete", RoleScope, RoleOurs, Fails, [Remove]),
    ];

    /// <summary>The Kubernetes permissions, in the document's row order.</summary>
    public static readonly IReadOnlyList<KubernetesPermission> Kubernetes =
    [
        new("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "get", ClusterScope, Always, Warning,
            ReachesCluster),
        new("", "namespaces", "get", ClusterScope, ServiceAccountMissing, Fails, ReachesCluster),
        new("", "namespaces", "create", ClusterScope, NamespaceMissing, Fails, AppliesToCluster),
        new("", "serviceaccounts", "get", NamespaceScope, Always, Fails, ReachesCluster),
        new("", "serviceaccounts", "create", NamespaceScope, ServiceAccountMissing, Fails, AppliesToCluster),
        new("", "serviceaccounts", "patch", NamespaceScope, ServiceAccountChanges, Fails, AppliesToCluster),
        new("", "serviceaccounts", "patch", NamespaceScope, ServiceAccountRelease, Fails, [Remove]),
        new("", "serviceaccounts", "delete", NamespaceScope, ServiceAccountOnlyOurs, Fails, [Remove]),
        new("", "serviceaccounts/token", "create", NamespaceScope, Verify, Fails, AppliesToCluster),
        new("", "pods", "create", NamespaceScope, DryRun, NoDryRun, AppliesToCluster),
        new("apps", "deployments", "list", NamespaceScope, WorkloadHints, NoHints, Hints),
        new("apps", "statefulsets", "list", NamespaceScope, WorkloadHints, NoHints, Hints),
        new("apps", "daemonsets", "list", NamespaceScope, WorkloadHints, NoHints, Hints),
        new("batch", "jobs", "list", NamespaceScope, WorkloadHints, NoHints, Hints),
        new("batch", "cronjobs", "list", NamespaceScope, WorkloadHints, NoHints, Hints),
        new("", "pods", "list", NamespaceScope, WorkloadHints, NoHints, Hints),
    ];

    /// <summary>The Azure actions a mode may need.</summary>
    public static IReadOnlyList<AzurePermission> AzureFor(string mode) => [.. Azure.Where(p => p.Modes.Contains(mode))];

    /// <summary>The Kubernetes permissions a mode may need.</summary>
    public static IReadOnlyList<KubernetesPermission> KubernetesFor(string mode) =>
        [.. Kubernetes.Where(p => p.Modes.Contains(mode))];
}
