namespace ConfigureWorkloadIdentity.Binding;

/// <summary>A role the identity is to hold on a scope: the role by name, GUID or roleDefinitions id.</summary>
internal sealed record RoleGrant(string Role, string Scope);
