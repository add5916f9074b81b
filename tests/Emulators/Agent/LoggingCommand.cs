using System.Diagnostics.CodeAnalysis;

namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>A <c>##vso[area.event key=value;...]message</c> command, parsed by the agent's rules.</summary>
public sealed class LoggingCommand
{
    private const string Prefix = "##vso[";

    private LoggingCommand(
        string line,
        string area,
        string eventName,
        IReadOnlyDictionary<string, string> properties,
        string data)
    {
        Line = line;
        Area = area;
        Event = eventName;
        Properties = properties;
        Data = data;
    }

    /// <summary>The whole output line.</summary>
    public string Line { get; }

    /// <summary>The area, e.g. <c>task</c>.</summary>
    public string Area { get; }

    /// <summary>The event, e.g. <c>setvariable</c>.</summary>
    public string Event { get; }

    /// <summary>The properties, unescaped; keys are case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>The message after <c>]</c>, unescaped.</summary>
    public string Data { get; }

    /// <summary>
    /// Parses a line as the agent does: the prefix may stand anywhere in the line, the command info ends at the
    /// first <c>]</c>, <c>area.event</c> must have exactly two parts, and property pairs with an empty side are
    /// dropped.
    /// </summary>
    public static bool TryParse(string? line, [NotNullWhen(true)] out LoggingCommand? command)
    {
        command = null;
        if (string.IsNullOrEmpty(line))
        {
            return false;
        }

        int prefixIndex = line.IndexOf(Prefix, StringComparison.Ordinal);
        if (prefixIndex < 0)
        {
            return false;
        }

        int bracketIndex = line.IndexOf(']', prefixIndex);
        if (bracketIndex < 0)
        {
            return false;
        }

        int infoIndex = prefixIndex + Prefix.Length;
        string info = line[infoIndex..bracketIndex];
        int spaceIndex = info.IndexOf(' ', StringComparison.Ordinal);
        string name = spaceIndex < 0 ? info : info[..spaceIndex];
        string[] areaEvent = name.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (areaEvent.Length != 2)
        {
            return false;
        }

        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (spaceIndex > 0)
        {
            foreach (string property in info[(spaceIndex + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                // Same call as the agent, so "a==b" and similar edge cases split the same way.
                string[] pair = property.Split('=', 2, StringSplitOptions.RemoveEmptyEntries);
                if (pair.Length == 2)
                {
                    properties[pair[0]] = Unescape(pair[1]);
                }
            }
        }

        string data = Unescape(line[(bracketIndex + 1)..]);
        command = new LoggingCommand(line, areaEvent[0], areaEvent[1], properties, data);
        return true;
    }

    /// <summary>
    /// The agent's unescaping: <c>%AZP25</c> last (knob DECODE_PERCENTS, on by default), never <c>%25</c>.
    /// </summary>
    public static string Unescape(string escaped) => escaped
        .Replace("%3B", ";", StringComparison.Ordinal)
        .Replace("%0D", "\r", StringComparison.Ordinal)
        .Replace("%0A", "\n", StringComparison.Ordinal)
        .Replace("%5D", "]", StringComparison.Ordinal)
        .Replace("%AZP25", "%", StringComparison.Ordinal);

    /// <summary>Whether a property is present and true by <see cref="bool.TryParse(string?, out bool)"/>.</summary>
    public bool IsTrue(string key) =>
        Properties.TryGetValue(key, out var value) && bool.TryParse(value, out var on) && on;

    /// <inheritdoc />
    public override string ToString() => Line;
}
