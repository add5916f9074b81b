namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>A role definition (Microsoft.Authorization/roleDefinitions), built in or custom.</summary>
/// <param name="Name">The role's GUID, its resource name.</param>
/// <param name="RoleName">The display name filters match, e.g. Key Vault Secrets User.</param>
/// <param name="Description">The description ARM returns.</param>
/// <param name="Type">BuiltInRole or CustomRole.</param>
/// <param name="Actions">The control-plane actions it grants.</param>
/// <param name="DataActions">The data-plane actions it grants.</param>
public sealed record RoleDefinition(
    string Name,
    string RoleName,
    string Description,
    string Type,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> DataActions)
{
    /// <summary>The scopes it can be assigned at; built-in roles are assignable everywhere ("/").</summary>
    public IReadOnlyList<string> AssignableScopes { get; init; } = ["/"];
}
