namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>A federated identity credential on a user-assigned identity.</summary>
/// <param name="Name">The credential name, as first given.</param>
/// <param name="Issuer">The token issuer, byte for byte.</param>
/// <param name="Subject">The token subject.</param>
/// <param name="Audiences">The accepted audiences.</param>
public sealed record FederatedCredential(
    string Name,
    string Issuer,
    string Subject,
    IReadOnlyList<string> Audiences);
