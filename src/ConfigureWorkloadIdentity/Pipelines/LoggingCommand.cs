namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// Formats Azure Pipelines logging commands by the agent's escaping rules, and makes text from elsewhere safe to
/// print (the agent acts on <c>##vso[</c> anywhere in a line).
/// </summary>
internal static class LoggingCommand
{
    private const string CommandPrefix = "##vso[";

    /// <summary>Builds <c>##vso[area.event k=v;...]message</c> with properties and message escaped.</summary>
    public static string Format(
        string areaAndEvent,
        IEnumerable<KeyValuePair<string, string>> properties,
        string message)
    {
        var props = string.Concat(properties.Select(p => $"{p.Key}={EscapeProperty(p.Value)};"));
        var head = props.Length == 0 ? areaAndEvent : $"{areaAndEvent} {props}";
        return $"{CommandPrefix}{head}]{EscapeMessage(message)}";
    }

    /// <summary>Escapes a property value: % first, then CR, LF, ']' and ';'.</summary>
    public static string EscapeProperty(string value) =>
        EscapeMessage(value)
            .Replace("]", "%5D", StringComparison.Ordinal)
            .Replace(";", "%3B", StringComparison.Ordinal);

    /// <summary>
    /// Escapes a message: the agent decodes %AZP25, %0D, %0A, %3B and %5D in messages, so % itself is escaped
    /// (as %AZP25, which is what the agent decodes back to %), then CR and LF. A later <c>##vso[</c> in the
    /// message is plain data: the agent takes the command from the first one only.
    /// </summary>
    public static string EscapeMessage(string value) =>
        value.Replace("%", "%AZP25", StringComparison.Ordinal)
            .Replace("\r", "%0D", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>
    /// Makes untrusted text (API error bodies, input values) unable to start a logging command: breaks every
    /// <c>##vso[</c> and folds line breaks so the text cannot begin a line of its own.
    /// </summary>
    public static string Neutralize(string text) =>
        text.Replace(CommandPrefix, "##vso [", StringComparison.OrdinalIgnoreCase);

    /// <summary>Folds CR and LF into spaces, for text printed as one plain log line.</summary>
    public static string OneLine(string text) =>
        Neutralize(text).ReplaceLineEndings(" ");
}
