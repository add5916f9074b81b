namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// Authentication (bearer tokens) and authorization for the emulator: allow unless denied, or, for a user with an
/// allow-list, only what the list grants (as RBAC, which grants nothing it is not told to).
/// </summary>
internal sealed class AccessPolicy
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _users = new(StringComparer.Ordinal);
    private readonly List<(string User, string Verb, string Resource, string? Namespace)> _denials = [];
    private readonly Dictionary<string, IReadOnlyList<KubernetesGrant>> _allowLists = new(StringComparer.Ordinal);

    public void AddUser(string token, string userName)
    {
        lock (_gate)
        {
            _users[token] = userName;
        }
    }

    public void RevokeToken(string token)
    {
        lock (_gate)
        {
            _users.Remove(token);
        }
    }

    public string? FindUser(string token)
    {
        lock (_gate)
        {
            return _users.GetValueOrDefault(token);
        }
    }

    public void Deny(string userName, string verb, string resource, string? namespaceName)
    {
        lock (_gate)
        {
            _denials.Add((userName, verb, resource, namespaceName));
        }
    }

    public void ClearDenials()
    {
        lock (_gate)
        {
            _denials.Clear();
        }
    }

    public void AllowOnly(string userName, IEnumerable<KubernetesGrant> grants)
    {
        lock (_gate)
        {
            _allowLists[userName] = [.. grants];
        }
    }

    public void ClearAllowLists()
    {
        lock (_gate)
        {
            _allowLists.Clear();
        }
    }

    /// <summary>
    /// True when a deny rule matches (a rule without a namespace matches every scope, "*" any verb), or the user has
    /// an allow-list and nothing on it grants the request. <paramref name="namespaceName"/> is "" at the cluster
    /// scope.
    /// </summary>
    public bool IsForbidden(string userName, string verb, string group, string resource, string namespaceName)
    {
        lock (_gate)
        {
            var denied = _denials.Any(d =>
                d.User == userName
                && (d.Verb == "*" || d.Verb == verb)
                && d.Resource == resource
                && (d.Namespace is null || d.Namespace == namespaceName));
            return denied || (_allowLists.TryGetValue(userName, out var grants)
                && !grants.Any(g => g.Matches(verb, group, resource, namespaceName)));
        }
    }
}
