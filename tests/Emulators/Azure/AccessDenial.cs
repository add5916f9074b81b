namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>A rule that makes ARM answer 403 AuthorizationFailed.</summary>
/// <param name="Principal">The principal's object id or client id.</param>
/// <param name="ActionPrefix">The start of the denied actions, e.g. Microsoft.ManagedIdentity/.</param>
/// <param name="ScopePrefix">The start of the denied scopes (ARM ids, compared case-insensitively).</param>
public sealed record AccessDenial(string Principal, string ActionPrefix, string ScopePrefix)
{
    internal bool Matches(string objectId, string clientId, string action, string scope) =>
        (string.Equals(Principal, objectId, StringComparison.OrdinalIgnoreCase)
            || string.Equals(Principal, clientId, StringComparison.OrdinalIgnoreCase))
        && action.StartsWith(ActionPrefix, StringComparison.OrdinalIgnoreCase)
        && scope.StartsWith(ScopePrefix, StringComparison.OrdinalIgnoreCase);
}
