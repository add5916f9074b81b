using System.Text.Encodings.Web;

namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// Replaces known secrets with <c>***</c>, as the agent's masker does, including the JSON-escaped and URI-escaped
/// forms the agent also registers. Secrets apply only from the moment they are added, so a value printed before
/// <c>task.setsecret</c> stays visible, as in a real log.
/// </summary>
internal sealed class SecretMasker
{
    private readonly List<string> _values = [];

    public IReadOnlyList<string> Values => _values;

    public void Add(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            return;
        }

        foreach (string form in new[]
                 {
                     secret,
                     JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(secret),
                     Uri.EscapeDataString(secret),
                 })
        {
            if (!_values.Contains(form, StringComparer.Ordinal))
            {
                _values.Add(form);
            }
        }

        // Longest first, so a secret that contains another is masked whole.
        _values.Sort((a, b) => b.Length.CompareTo(a.Length));
    }

    public string Mask(string text)
    {
        foreach (string value in _values)
        {
            text = text.Replace(value, "***", StringComparison.Ordinal);
        }

        return text;
    }
}
