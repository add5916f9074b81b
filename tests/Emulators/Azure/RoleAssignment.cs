namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>A role assignment (Microsoft.Authorization/roleAssignments) at one scope.</summary>
/// <param name="Name">The assignment's GUID, its resource name.</param>
/// <param name="Scope">The scope as first given, e.g. /subscriptions/{id}/resourceGroups/{rg}.</param>
/// <param name="RoleDefinitionName">The role definition's GUID.</param>
/// <param name="PrincipalId">The object id of the assignee.</param>
/// <param name="PrincipalType">User, Group, ServicePrincipal, ForeignGroup or Device; null when not given.</param>
/// <param name="CreatedOn">When it was created, by the emulator's clock.</param>
/// <param name="CreatedBy">The object id of the principal that created it.</param>
public sealed record RoleAssignment(
    string Name,
    string Scope,
    string RoleDefinitionName,
    string PrincipalId,
    string? PrincipalType,
    DateTimeOffset CreatedOn,
    string CreatedBy)
{
    /// <summary>The assignment's ARM id.</summary>
    public string Id => $"{Scope}/providers/Microsoft.Authorization/roleAssignments/{Name}";
}
