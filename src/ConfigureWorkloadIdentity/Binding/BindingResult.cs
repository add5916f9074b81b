namespace ConfigureWorkloadIdentity.Binding;

/// <summary>What a binding run ended with: the values for output variables and what it changed.</summary>
internal sealed record BindingResult(
    BindingRequest Request,
    ObservedIdentity Identity,
    string Issuer,
    string CredentialName,
    int Changes,
    bool WhatIf,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The ServiceAccount as namespace/name.</summary>
    public string ServiceAccount => $"{Request.Namespace}/{Request.ServiceAccountName}";
}
