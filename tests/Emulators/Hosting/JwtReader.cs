using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>
/// A compact JWS parsed into header and payload, with signature checks for RS256 and PS256 (the algorithms
/// Entra accepts for client assertions). It validates no claims: callers decide what matters.
/// </summary>
public sealed class JwtReader
{
    private readonly byte[] _signingInput;
    private readonly byte[] _signature;

    private JwtReader(JsonObject header, JsonObject payload, byte[] signingInput, byte[] signature)
    {
        Header = header;
        Payload = payload;
        _signingInput = signingInput;
        _signature = signature;
    }

    /// <summary>The JOSE header.</summary>
    public JsonObject Header { get; }

    /// <summary>The claims.</summary>
    public JsonObject Payload { get; }

    /// <summary>The <c>alg</c> header, or empty.</summary>
    public string Algorithm => HeaderString("alg") ?? "";

    /// <summary>The <c>kid</c> header, or null.</summary>
    public string? KeyId => HeaderString("kid");

    /// <summary>Parses a compact JWT; false when it is not three base64url JSON parts.</summary>
    public static bool TryParse(string? token, [NotNullWhen(true)] out JwtReader? jwt)
    {
        jwt = null;
        var parts = token?.Split('.');
        if (parts is not { Length: 3 })
        {
            return false;
        }

        try
        {
            var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0])) as JsonObject;
            var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (header is null || payload is null)
            {
                return false;
            }

            jwt = new JwtReader(header, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }

    /// <summary>True when the signature verifies with <paramref name="key"/> under RS256 or PS256.</summary>
    public bool VerifySignature(RSA key)
    {
        var padding = Algorithm switch
        {
            "RS256" => RSASignaturePadding.Pkcs1,
            "PS256" => RSASignaturePadding.Pss,
            _ => null,
        };
        return padding is not null
            && key.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256, padding);
    }

    /// <summary>A string claim, or null when absent or not a string.</summary>
    public string? GetString(string claim) =>
        Payload[claim] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// A numeric-date claim (seconds since the epoch), or null. MSAL.NET writes nbf and exp of client assertions
    /// as strings of digits, which Entra accepts, so those count too.
    /// </summary>
    public DateTimeOffset? GetTime(string claim) => Payload[claim] switch
    {
        JsonValue value when value.TryGetValue<long>(out var seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds),
        JsonValue value when value.TryGetValue<string>(out var text)
            && long.TryParse(text, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var parsed) =>
            DateTimeOffset.FromUnixTimeSeconds(parsed),
        _ => null,
    };

    /// <summary>The <c>aud</c> claim as a list (it may be a string or an array).</summary>
    public IReadOnlyList<string> GetAudiences() => Payload["aud"] switch
    {
        JsonArray array => [.. array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : "")],
        JsonValue value when value.TryGetValue<string>(out var single) => [single],
        _ => [],
    };

    private string? HeaderString(string name) =>
        Header[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
