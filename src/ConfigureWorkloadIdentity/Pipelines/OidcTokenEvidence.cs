using ConfigureWorkloadIdentity.Azure;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// Remembers the issuer and subject of the last pipeline OIDC token (never the token), so a failed federated sign-in
/// can show what Entra was presented: after a service connection is converted to the Entra issuer, or its
/// organization, project or name changes, these no longer match the federated credential.
/// </summary>
internal sealed class OidcTokenEvidence
{
    private volatile string? _claims;

    /// <summary>Reads the claims of a token as it passes.</summary>
    public void Observe(string token)
    {
        if (TokenClaims.Read(token) is { } claims)
        {
            _claims = $"issuer '{claims.Issuer}', subject '{claims.Subject}', audience '{claims.Audience}'";
        }
    }

    /// <summary>A sentence for the failure message, or null when no token was seen.</summary>
    public string? Describe() => _claims is { } claims
        ? $"The pipeline's OIDC token had {claims}. The service connection's federated credential must match these "
          + "exactly; after converting the connection to the Entra issuer, or renaming the organization, project or "
          + "connection, update the federated credential."
        : null;
}
