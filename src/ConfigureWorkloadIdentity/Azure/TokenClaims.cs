using System.Buffers.Text;
using System.Text.Json;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>
/// The iss, sub and aud of a JWT, read without validating it: what a failure message may show in place of the
/// token, which it never shows.
/// </summary>
internal sealed record TokenClaims(string Issuer, string Subject, string Audience)
{
    /// <summary>The claims of <paramref name="token"/>, or null when it is not a readable JWT.</summary>
    public static TokenClaims? Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var root = payload.RootElement;
            return root.ValueKind == JsonValueKind.Object
                ? new TokenClaims(Text(root, "iss"), Text(root, "sub"), Text(root, "aud"))
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // An audience may be one string or an array of them.
    private static string Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? ""
        : value.ValueKind == JsonValueKind.Array
            ? string.Join(",", value.EnumerateArray().Select(v => v.GetString()))
        : value.ValueKind == JsonValueKind.String ? value.GetString() ?? ""
        : "";
}
