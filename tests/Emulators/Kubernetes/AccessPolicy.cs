namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>Authentication (bearer tokens) and authorization (allow unless denied) for the emulator.</summary>
internal sealed class AccessPolicy
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _users = new(StringComparer.Ordinal);
    private readonly List<(string User, string Verb, string Resource, string? Namespace)> _denials = [];

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

    /// <summary>True when a rule matches; a rule without a namespace matches every scope, "*" any verb.</summary>
    public bool IsDenied(string userName, string verb, string resource, string namespaceName)
    {
        lock (_gate)
        {
            return _denials.Any(d =>
                d.User == userName
                && (d.Verb == "*" || d.Verb == verb)
                && d.Resource == resource
                && (d.Namespace is null || d.Namespace == namespaceName));
        }
    }
}
