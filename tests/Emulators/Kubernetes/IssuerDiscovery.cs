using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// The cluster's OIDC issuer documents, as the API server serves them (/.well-known/openid-configuration and
/// /openid/v1/jwks, for authenticated callers) and as AKS publishes them publicly under the issuer URL for
/// Entra ID: the discovery document names the issuer and its jwks_uri, the JWKS holds the key that signs
/// TokenRequest tokens.
/// </summary>
internal static class IssuerDiscovery
{
    public const string ConfigurationPath = ".well-known/openid-configuration";
    public const string KeysPath = "openid/v1/jwks";

    /// <summary>The document for <paramref name="path"/> (relative to the issuer), or null for another path.</summary>
    public static JsonObject? Document(KubernetesState state, string path)
    {
        if (state.ServiceAccountIssuer is not { } issuer)
        {
            return null;
        }

        return path switch
        {
            ConfigurationPath => new JsonObject
            {
                ["issuer"] = issuer.Issuer,
                ["jwks_uri"] = IssuerRoot(issuer.Issuer) + KeysPath,
                ["response_types_supported"] = new JsonArray("id_token"),
                ["subject_types_supported"] = new JsonArray("public"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            },
            KeysPath => Keys(state.PublishedIssuerKey ?? issuer.Signer),
            _ => null,
        };
    }

    /// <summary>
    /// The path under which the issuer publishes, when the request is for the issuer's own host and path
    /// (e.g. eastus.oic.prod-aks.azure.com/&lt;tenant&gt;/&lt;guid&gt;/); null otherwise.
    /// </summary>
    public static string? PublicPath(KubernetesState state, string host, string path)
    {
        if (state.ServiceAccountIssuer is not { } issuer
            || !Uri.TryCreate(IssuerRoot(issuer.Issuer), UriKind.Absolute, out var root)
            || !string.Equals(root.Host, host, StringComparison.OrdinalIgnoreCase)
            || !path.StartsWith(root.AbsolutePath, StringComparison.Ordinal))
        {
            return null;
        }

        return path[root.AbsolutePath.Length..];
    }

    /// <summary>The API server's JWKS: RSA keys with kid and alg, no certificates.</summary>
    private static JsonObject Keys(Hosting.JwtSigner signer)
    {
        var jwk = signer.ToJwk();
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["use"] = "sig",
                ["kty"] = "RSA",
                ["kid"] = jwk["kid"]!.DeepClone(),
                ["alg"] = "RS256",
                ["n"] = jwk["n"]!.DeepClone(),
                ["e"] = jwk["e"]!.DeepClone(),
            }),
        };
    }

    private static string IssuerRoot(string issuer) => issuer.EndsWith('/') ? issuer : issuer + "/";
}
