namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// An existing ServiceAccount: its labels and annotations, and whether our field manager has applied it.
/// </summary>
internal sealed record ObservedServiceAccount(
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, string> Labels,
    bool AppliedByUs);
