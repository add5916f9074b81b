namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// One permission of an allow-list (<see cref="AzureState.AllowOnly"/>): an action granted on a scope and
/// everything below it, as a role assignment grants a role's actions.
/// </summary>
/// <param name="Action">
/// The action, e.g. Microsoft.ManagedIdentity/userAssignedIdentities/read; a trailing <c>*</c> matches every
/// action that starts with what comes before it, as in a role definition.
/// </param>
/// <param name="Scope">An ARM id (subscription, resource group or resource); compared case-insensitively.</param>
public sealed record AccessGrant(string Action, string Scope)
{
    internal bool Matches(string action, string scope)
    {
        var actionMatches = Action.EndsWith('*')
            ? action.StartsWith(Action[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(Action, action, StringComparison.OrdinalIgnoreCase);
        var granted = Scope.TrimEnd('/');
        var requested = scope.TrimEnd('/');

        // Scopes nest by path segment: a grant on .../managedClusters/aks-a says nothing about .../aks-ab.
        return actionMatches
            && (string.Equals(granted, requested, StringComparison.OrdinalIgnoreCase)
                || requested.StartsWith(granted + "/", StringComparison.OrdinalIgnoreCase));
    }
}
