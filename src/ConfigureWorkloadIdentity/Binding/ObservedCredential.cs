namespace ConfigureWorkloadIdentity.Binding;

/// <summary>A federated credential that exists on the identity.</summary>
internal sealed record ObservedCredential(string Name, string Issuer, string Subject, IReadOnlyList<string> Audiences);
