namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The role to grant does not exist at (or is not assignable at) the scope it was asked for.</summary>
internal sealed class RoleDefinitionNotFoundException : Exception
{
    /// <summary>Creates the exception; <paramref name="inner"/> is ARM's 404 when the role was read by id.</summary>
    public RoleDefinitionNotFoundException(string role, string scope, ArmRequestException? inner = null)
        : base($"Role '{role}' was not found at scope '{scope}': no role definition with that exact name or id is "
            + "assignable there. Give a role's whole name as the Azure portal shows it (for example 'Key Vault "
            + "Secrets User'), its GUID, or its full roleDefinitions id."
            + (inner is null ? "" : $" ({inner.Message})"), inner)
    {
        Role = role;
        Scope = scope;
    }

    /// <summary>The role as given: a name, a GUID or a roleDefinitions id.</summary>
    public string Role { get; }

    /// <summary>The scope it was looked up at.</summary>
    public string Scope { get; }
}
