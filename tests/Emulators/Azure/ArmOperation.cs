namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>A matched ARM operation: what RBAC checks, then what runs.</summary>
/// <param name="Action">The RBAC action, e.g. Microsoft.ManagedIdentity/userAssignedIdentities/read.</param>
/// <param name="ResourceGroup">The resource group the operation needs to exist, or null.</param>
/// <param name="ExecuteAsync">Answers the request.</param>
internal sealed record ArmOperation(
    string Action,
    string? ResourceGroup,
    Func<ArmRequest, CancellationToken, Task> ExecuteAsync);
