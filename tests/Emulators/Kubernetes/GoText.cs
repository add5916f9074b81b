using System.Globalization;
using System.Text;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>Go formatting the apiserver's messages depend on.</summary>
internal static class GoText
{
    /// <summary>Quotes like Go's <c>%q</c> (strconv.Quote) for the characters names can hold.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    var category = Rune.GetUnicodeCategory(rune);
                    if (category is UnicodeCategory.Control or UnicodeCategory.Format
                        or UnicodeCategory.OtherNotAssigned)
                    {
                        builder.Append(rune.Value <= 0xFF
                            ? $"\\x{rune.Value:x2}"
                            : rune.Value <= 0xFFFF ? $"\\u{rune.Value:x4}" : $"\\U{rune.Value:x8}");
                    }
                    else
                    {
                        builder.Append(rune.ToString());
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Escapes &amp;, &lt; and &gt; the way the apiserver's forbidden writer does.</summary>
    public static string HtmlSanitize(string value) =>
        value.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>RFC 3339 in UTC with whole seconds, as metav1.Time serialises.</summary>
    public static string Time(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
