namespace ConfigureWorkloadIdentity.Binding;

/// <summary>What a step ended with: each binding's result in the order given, and the step's own warnings.</summary>
/// <param name="Action">What the step did.</param>
/// <param name="WhatIf">Whether nothing was written.</param>
/// <param name="Issuer">The issuer every binding's credential trusts.</param>
/// <param name="Bindings">Each binding's result, in the order the step gave them.</param>
/// <param name="Warnings">Warnings about the cluster, shared by every binding.</param>
/// <param name="ManifestPath">The file render wrote, or null.</param>
internal sealed record StepResult(
    StepAction Action,
    bool WhatIf,
    string Issuer,
    IReadOnlyList<BindingResult> Bindings,
    IReadOnlyList<string> Warnings,
    string? ManifestPath = null)
{
    /// <summary>The bindings that failed.</summary>
    public IReadOnlyList<BindingResult> Failed => [.. Bindings.Where(b => !b.Succeeded)];

    /// <summary>Every warning: the step's and each binding's.</summary>
    public int WarningCount => Warnings.Count + Bindings.Sum(b => b.Warnings.Count);
}
