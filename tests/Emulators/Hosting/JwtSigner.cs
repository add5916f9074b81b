using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>
/// An RSA signing key with a self-signed certificate that mints RS256 JWTs and publishes itself as a JWKS,
/// the way a token issuer (Entra ID, a Kubernetes API server, Azure DevOps) does.
/// </summary>
public sealed class JwtSigner : IDisposable
{
    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;

    /// <summary>Creates a fresh 2048-bit key and a certificate for it named after <paramref name="subject"/>.</summary>
    public JwtSigner(string subject = "CN=Emulator Token Signing")
    {
        _key = RSA.Create(2048);
        var request = new CertificateRequest(subject, _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        // Entra uses the base64url SHA-1 thumbprint as both kid and x5t; clients match either.
        Thumbprint = Base64Url.EncodeToString(_certificate.GetCertHash());
        KeyId = Thumbprint;
    }

    /// <summary>The key id placed in the JWT header (<c>kid</c>) and the JWKS.</summary>
    public string KeyId { get; }

    /// <summary>The base64url SHA-1 thumbprint of the certificate (<c>x5t</c>).</summary>
    public string Thumbprint { get; }

    /// <summary>The public key, for verifying what this signer signed.</summary>
    public RSA PublicKey => _certificate.GetRSAPublicKey() ?? throw new InvalidOperationException("No RSA key.");

    /// <summary>Signs <paramref name="payload"/> as a compact RS256 JWT with typ, alg, kid and x5t headers.</summary>
    public string Sign(JsonObject payload)
    {
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5t"] = Thumbprint,
            ["kid"] = KeyId,
        };
        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = _key.SignData(
            Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The public key as one JSON Web Key (kty, use, kid, x5t, n, e, x5c).</summary>
    public JsonObject ToJwk()
    {
        var parameters = _key.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = KeyId,
            ["x5t"] = Thumbprint,
            ["n"] = Base64Url.EncodeToString(parameters.Modulus),
            ["e"] = Base64Url.EncodeToString(parameters.Exponent),
            ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)),
        };
    }

    /// <summary>A JWKS document holding this key: <c>{"keys":[…]}</c>.</summary>
    public JsonObject ToJwks() => new() { ["keys"] = new JsonArray(ToJwk()) };

    /// <inheritdoc />
    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    private static string Encode(JsonObject value) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(value.ToJsonString()));
}
