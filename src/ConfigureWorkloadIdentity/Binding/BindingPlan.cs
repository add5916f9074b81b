namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// What a run will change to make the world match a binding, and what it found on the way: notes to tell the
/// user, and warnings that make the result SucceededWithIssues.
/// </summary>
internal sealed record BindingPlan(
    string CredentialName,
    ChangeAction Credential,
    bool CreateNamespace,
    ChangeAction ServiceAccount,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Warnings)
{
    /// <summary>True when nothing needs writing.</summary>
    public bool IsConverged =>
        Credential == ChangeAction.Unchanged && !CreateNamespace && ServiceAccount == ChangeAction.Unchanged;
}
