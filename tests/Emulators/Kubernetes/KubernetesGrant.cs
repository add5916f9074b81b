namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// One RBAC permission of an allow-list (<see cref="KubernetesEmulator.AllowOnly"/>): a verb on a resource of an
/// API group, granted in one namespace (a Role bound by a RoleBinding there) or, when
/// <see cref="Namespace"/> is null, everywhere including the cluster scope (a ClusterRole bound by a
/// ClusterRoleBinding).
/// </summary>
/// <param name="Verb">get, list, create, patch, delete, ...</param>
/// <param name="Group">The API group: "" for the core group, apps, batch, admissionregistration.k8s.io.</param>
/// <param name="Resource">The plural resource, with its subresource if any (serviceaccounts/token).</param>
/// <param name="Namespace">The namespace of the RoleBinding, or null for a ClusterRoleBinding.</param>
public sealed record KubernetesGrant(string Verb, string Group, string Resource, string? Namespace)
{
    internal bool Matches(string verb, string group, string resource, string namespaceName) =>
        Verb == verb && Group == group && Resource == resource
        && (Namespace is null || (namespaceName.Length > 0 && Namespace == namespaceName));
}
