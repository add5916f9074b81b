namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>An access token the Entra emulator issued, kept so tests can look for leaks.</summary>
/// <param name="AccessToken">The JWT as sent.</param>
/// <param name="TenantId">The tenant id (<c>tid</c>).</param>
/// <param name="ClientId">The client id (<c>appid</c>).</param>
/// <param name="ObjectId">The service principal object id (<c>oid</c>).</param>
/// <param name="Audience">The audience (<c>aud</c>).</param>
/// <param name="ExpiresOn">When it expires (<c>exp</c>).</param>
public sealed record IssuedToken(
    string AccessToken,
    string TenantId,
    string ClientId,
    string ObjectId,
    string Audience,
    DateTimeOffset ExpiresOn);
