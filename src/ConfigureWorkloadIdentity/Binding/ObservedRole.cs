using ConfigureWorkloadIdentity.Azure;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// A role a binding asks for: its definition, the assignment name this task uses for it, and the assignments
/// that already give the identity that role at that scope or above (read before any write).
/// </summary>
internal sealed record ObservedRole(
    RoleGrant Grant,
    RoleDefinition Definition,
    string AssignmentName,
    IReadOnlyList<RoleAssignment> Holding)
{
    /// <summary>The role as people name it.</summary>
    public string RoleName => Definition.Properties?.RoleName ?? Grant.Role;

    /// <summary>
    /// One role on one scope, however the role was named (by name, GUID or id): what a step grants or removes once.
    /// </summary>
    public string Assignment => $"{Definition.Name}|{Grant.Scope.TrimEnd('/')}";

    /// <summary>The assignment this task made, if it exists.</summary>
    public RoleAssignment? Ours => Holding.FirstOrDefault(a =>
        string.Equals(a.Name, AssignmentName, StringComparison.OrdinalIgnoreCase));
}
