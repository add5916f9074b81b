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

    /// <summary>The assignment this task made, if it exists.</summary>
    public RoleAssignment? Ours => Holding.FirstOrDefault(a =>
        string.Equals(a.Name, AssignmentName, StringComparison.OrdinalIgnoreCase));
}
