namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// What verification found: the lines that say what was proven, and warnings about what would not work.
/// </summary>
/// <param name="Lines">The token exchange's result, then the webhook dry run's when it ran.</param>
/// <param name="Warnings">Warnings already reported, for the result and the summary.</param>
internal sealed record Verification(IReadOnlyList<string> Lines, IReadOnlyList<string> Warnings);
