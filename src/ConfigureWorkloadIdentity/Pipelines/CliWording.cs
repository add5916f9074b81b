using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// Messages name task inputs ("Input 'namespace'", "set 'issuerSource'"); on the command line the same things are
/// options, so there they read "--namespace", "set --issuer-source".
/// </summary>
internal static partial class CliWording
{
    private static readonly HashSet<string> Inputs = InputNames.All.ToHashSet(StringComparer.Ordinal);

    /// <summary>Rewrites input names as options.</summary>
    public static string Apply(string message) =>
        InputReference().Replace(message, m => Inputs.Contains(m.Groups["name"].Value)
            ? (m.Groups["input"].Success ? "Option " : "") + "--" + Kebab(m.Groups["name"].Value)
            : m.Value);

    private static string Kebab(string name) => UpperCase().Replace(name, "-$1").ToLowerInvariant();

    [GeneratedRegex(@"(?:(?<input>Input )|(?:the )?inputs? )?'(?<name>[a-z][A-Za-z]+)'")]
    private static partial Regex InputReference();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex UpperCase();
}
