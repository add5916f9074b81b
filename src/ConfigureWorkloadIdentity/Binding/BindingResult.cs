namespace ConfigureWorkloadIdentity.Binding;

/// <summary>What a binding run ended with: the values for output variables and what it changed.</summary>
internal sealed record BindingResult(
    ObservedIdentity Identity,
    string Issuer,
    string CredentialName,
    string ServiceAccount,
    int Changes,
    IReadOnlyList<string> Warnings);
