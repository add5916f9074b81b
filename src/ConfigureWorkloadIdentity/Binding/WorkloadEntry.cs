namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// One entry of the <c>workloads</c> input as written, before validation: each value is the text the YAML gave,
/// or null where the entry leaves it out (the step's input of the same name then applies).
/// </summary>
internal sealed record WorkloadEntry(int Number, int Line)
{
    public string? Namespace { get; init; }

    public string? ServiceAccountName { get; init; }

    public string? IdentityName { get; init; }

    public string? ResourceGroup { get; init; }

    public string? IdentityResourceId { get; init; }

    public string? FederatedCredentialName { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public IReadOnlyList<RoleGrant>? RoleAssignments { get; init; }

    /// <summary>How the entry is named in messages: its number and line.</summary>
    public string Where => $"entry {Number} (line {Line})";
}
