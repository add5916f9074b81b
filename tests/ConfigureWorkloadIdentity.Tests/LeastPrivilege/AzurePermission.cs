namespace ConfigureWorkloadIdentity.Tests.LeastPrivilege;

/// <summary>One Azure action the task may need: a row of docs/least-privilege.md's Azure table.</summary>
/// <param name="Action">The RBAC action, exactly as a role definition lists it.</param>
/// <param name="Scope">Where it is needed: one of <see cref="Permissions.AzureScopes"/>.</param>
/// <param name="When">The condition under which a run calls it.</param>
/// <param name="WithoutIt">What a run that needs it does without it: one of <see cref="Permissions.Outcomes"/>.</param>
/// <param name="Modes">The modes (<see cref="Permissions.Modes"/>) that may need it.</param>
public sealed record AzurePermission(
    string Action,
    string Scope,
    string When,
    string WithoutIt,
    IReadOnlyList<string> Modes)
{
    /// <inheritdoc />
    public override string ToString() => $"{Action} on {Scope}";
}
