namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// An identity of a step with what was read of it (or that it is missing) and the bindings that use it: the unit
/// that is read once and written one call at a time.
/// </summary>
internal sealed class IdentityGroup(
    IdentityReference reference,
    ObservedIdentity? identity,
    IReadOnlyList<ObservedCredential> credentials,
    IReadOnlyList<BindingState> bindings)
{
    /// <summary>The ids given to an identity that does not exist yet, in plans and what-if output.</summary>
    public const string Pending = "(assigned when created)";

    public IdentityReference Reference { get; } = reference;

    /// <summary>The identity's ids; pending values while it is to be created; null when missing on remove.</summary>
    public ObservedIdentity? Identity { get; set; } = identity;

    public IReadOnlyList<ObservedCredential> Credentials { get; } = credentials;

    public IReadOnlyList<BindingState> Bindings { get; } = bindings;

    /// <summary>Where a missing identity is created, or null when it exists.</summary>
    public string? CreateIn { get; init; }

    /// <summary>The roles the group's bindings ask for, each with what holds it now; keyed by role and scope.</summary>
    public Dictionary<string, ObservedRole> Roles { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key of a grant in <see cref="Roles"/>.</summary>
    public static string Key(RoleGrant grant) => $"{grant.Role}|{grant.Scope.TrimEnd('/')}";
}
