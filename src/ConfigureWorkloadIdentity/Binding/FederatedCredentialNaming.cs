using System.Security.Cryptography;
using System.Text;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Derives the default federated credential name from identity, namespace and ServiceAccount. The name is
/// stable across runs and always meets the ARM rule (3-120 of letters, digits, '-', '_'; first alphanumeric).
/// </summary>
internal static class FederatedCredentialNaming
{
    private const int MaxLength = 120;
    private const int HashLength = 8;

    /// <summary>The default name: "identity-namespace-serviceaccount", made valid and unique where needed.</summary>
    public static string Default(string identityName, string ns, string serviceAccount)
    {
        var plain = $"{identityName}-{ns}-{serviceAccount}";
        var sanitized = new string(plain.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')
            .ToArray());

        // Dots in ServiceAccount names become '-': "a.b" and "a-b" would then collide, so a changed or
        // shortened name carries a hash of the exact tuple.
        if (sanitized == plain && sanitized.Length <= MaxLength)
        {
            return sanitized;
        }

        var hash = Hash(plain);
        var room = MaxLength - HashLength - 1;
        return $"{(sanitized.Length > room ? sanitized[..room] : sanitized).TrimEnd('-', '_')}-{hash}";
    }

    /// <summary>
    /// The name to use when the default name is already taken by a credential for another issuer or subject
    /// (another cluster binding the same ServiceAccount name): the default with an issuer discriminator.
    /// </summary>
    public static string WithIssuer(string defaultName, string issuer)
    {
        var hash = Hash(issuer);
        var room = MaxLength - HashLength - 1;
        return $"{(defaultName.Length > room ? defaultName[..room] : defaultName)}-{hash}";
    }

    private static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..HashLength];
}
