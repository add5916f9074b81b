namespace ConfigureWorkloadIdentity.Binding;

/// <summary>What one binding of a step ended with: the values for outputs, what it changed, or why it failed.</summary>
/// <param name="Request">The binding.</param>
/// <param name="Identity">The identity's ids, or null when they were never read (the step failed before).</param>
/// <param name="Issuer">The issuer the credential trusts.</param>
/// <param name="CredentialName">The federated credential's name, or empty when it was never planned.</param>
/// <param name="Changes">How many objects were (or, with what-if, would be) written.</param>
/// <param name="WhatIf">Whether nothing was written.</param>
/// <param name="Actions">A line per object: what happened to it.</param>
/// <param name="Warnings">The binding's warnings.</param>
/// <param name="Error">Why the binding failed, or null when it was done.</param>
internal sealed record BindingResult(
    BindingRequest Request,
    ObservedIdentity? Identity,
    string Issuer,
    string CredentialName,
    int Changes,
    bool WhatIf,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Warnings,
    string? Error = null)
{
    /// <summary>The ServiceAccount as namespace/name.</summary>
    public string ServiceAccount => Request.ServiceAccount;

    /// <summary>Whether the binding was done (or, with what-if, planned).</summary>
    public bool Succeeded => Error is null;
}
