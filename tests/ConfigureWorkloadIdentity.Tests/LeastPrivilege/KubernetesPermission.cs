namespace ConfigureWorkloadIdentity.Tests.LeastPrivilege;

/// <summary>One Kubernetes RBAC permission the task may need: a row of the Kubernetes table of the document.</summary>
/// <param name="Group">The API group; "" is the core group.</param>
/// <param name="Resource">The plural resource, with its subresource if any.</param>
/// <param name="Verb">The RBAC verb.</param>
/// <param name="Scope">cluster (a ClusterRole) or namespace (a Role in the binding's namespace).</param>
/// <param name="When">The condition under which a run calls it.</param>
/// <param name="WithoutIt">What a run that needs it does without it: one of <see cref="Permissions.Outcomes"/>.</param>
/// <param name="Modes">The modes (<see cref="Permissions.Modes"/>) that may need it.</param>
public sealed record KubernetesPermission(
    string Group,
    string Resource,
    string Verb,
    string Scope,
    string When,
    string WithoutIt,
    IReadOnlyList<string> Modes)
{
    /// <inheritdoc />
    public override string ToString() => $"{Verb} {Resource}{(Group.Length > 0 ? "." + Group : "")} ({Scope})";
}
