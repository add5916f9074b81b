namespace ConfigureWorkloadIdentity.Emulators.AzureDevOps;

/// <summary>A pipeline OIDC token the Azure DevOps emulator issued.</summary>
/// <param name="Token">The JWT as sent.</param>
/// <param name="ServiceConnectionId">The connection it was issued for.</param>
/// <param name="Subject">The <c>sub</c> claim, sc://org/project/connection.</param>
/// <param name="IssuedAt">When it was issued (emulator clock).</param>
/// <param name="ExpiresOn">When it expires (emulator clock).</param>
public sealed record IssuedOidcToken(
    string Token,
    Guid ServiceConnectionId,
    string Subject,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresOn);
