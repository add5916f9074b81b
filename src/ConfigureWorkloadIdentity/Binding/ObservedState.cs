using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Everything read of one binding before planning: nothing has been written when this exists. The cluster's
/// warnings belong to the step (<see cref="StepResult.Warnings"/>).
/// </summary>
internal sealed record ObservedState(
    ObservedIdentity Identity,
    string Issuer,
    IReadOnlyList<ObservedCredential> Credentials,
    NamespaceState Namespace,
    ObservedServiceAccount? ServiceAccount);
