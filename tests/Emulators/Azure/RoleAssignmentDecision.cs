namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>What the Authorization RP decides for a role assignment PUT.</summary>
internal enum RoleAssignmentDecision
{
    /// <summary>201: a new assignment.</summary>
    Created,

    /// <summary>200: the same name already holds the same grant.</summary>
    Unchanged,

    /// <summary>400 RoleDefinitionDoesNotExist.</summary>
    RoleMissing,

    /// <summary>409 RoleAssignmentExists: the same grant exists under another name.</summary>
    Exists,

    /// <summary>400 RoleAssignmentUpdateNotPermitted: the name holds another grant.</summary>
    UpdateNotPermitted,

    /// <summary>400 PrincipalNotFound.</summary>
    PrincipalNotFound,
}
