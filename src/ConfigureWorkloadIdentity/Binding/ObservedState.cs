using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Everything read before planning, with the warnings the read-only checks raised: nothing has been written
/// when this exists.
/// </summary>
internal sealed record ObservedState(
    ObservedIdentity Identity,
    string Issuer,
    IReadOnlyList<ObservedCredential> Credentials,
    NamespaceState Namespace,
    ObservedServiceAccount? ServiceAccount,
    IReadOnlyList<string>? Warnings = null);
