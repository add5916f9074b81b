using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// An external OIDC issuer Entra can verify tokens from (as it would through the issuer's discovery document and
/// JWKS): Azure DevOps for pipeline tokens, a cluster's issuer for ServiceAccount tokens.
/// </summary>
/// <param name="Issuer">The <c>iss</c> value, byte for byte.</param>
/// <param name="Signer">The issuer's signing key.</param>
public sealed record TrustedIssuer(string Issuer, JwtSigner Signer);
