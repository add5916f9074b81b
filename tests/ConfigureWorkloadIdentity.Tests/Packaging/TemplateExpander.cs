using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ConfigureWorkloadIdentity.Tests.Packaging;

/// <summary>
/// The small part of Azure Pipelines template expansion that the steps template uses: typed parameters with
/// defaults, <c>${{ parameters.x }}</c> and <c>${{ item.field }}</c> values, and <c>${{ each item in list }}</c>
/// inside a sequence. It is stricter than the server: an unknown parameter, an unknown field or any other
/// expression is an error, so a typo in the template fails the test rather than expanding to an empty string.
/// </summary>
internal static partial class TemplateExpander
{
    /// <summary>Expands the template's <c>steps</c> with <paramref name="arguments"/> as its parameters.</summary>
    public static YamlSequenceNode ExpandSteps(string templatePath, YamlMappingNode arguments)
    {
        var template = Load(templatePath);
        var parameters = BindParameters(template, arguments);
        var scope = new Dictionary<string, YamlNode>(StringComparer.Ordinal) { ["parameters"] = parameters };
        return (YamlSequenceNode)Expand(template.Children[new YamlScalarNode("steps")], scope);
    }

    /// <summary>Reads a YAML file's root mapping.</summary>
    public static YamlMappingNode Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode BindParameters(YamlMappingNode template, YamlMappingNode arguments)
    {
        var declared = ((YamlSequenceNode)template.Children[new YamlScalarNode("parameters")]).Children
            .Cast<YamlMappingNode>()
            .ToList();
        var names = declared.Select(p => Text(p, "name")).ToHashSet(StringComparer.Ordinal);
        foreach (var given in arguments.Children.Keys.Cast<YamlScalarNode>())
        {
            if (!names.Contains(given.Value!))
            {
                throw new InvalidOperationException($"Unexpected parameter '{given.Value}'.");
            }
        }

        var bound = new YamlMappingNode();
        foreach (var parameter in declared)
        {
            var name = Text(parameter, "name");
            var type = Text(parameter, "type");
            var value = arguments.Children.TryGetValue(new YamlScalarNode(name), out var given) ? given
                : parameter.Children.TryGetValue(new YamlScalarNode("default"), out var fallback) ? fallback
                : throw new InvalidOperationException($"A value for the '{name}' parameter must be provided.");
            var fits = type switch
            {
                "string" => value is YamlScalarNode,
                "boolean" => value is YamlScalarNode { Value: "true" or "false" or "True" or "False" },
                "object" => true,
                _ => throw new NotSupportedException($"Parameter type '{type}' is not supported here."),
            };
            if (!fits)
            {
                throw new InvalidOperationException($"The '{name}' parameter is not a valid {type}.");
            }

            bound.Add(name, value);
        }

        return bound;
    }

    private static YamlNode Expand(YamlNode node, IReadOnlyDictionary<string, YamlNode> scope) => node switch
    {
        YamlScalarNode scalar => ExpandScalar(scalar, scope),
        YamlSequenceNode sequence => ExpandSequence(sequence, scope),
        YamlMappingNode mapping => ExpandMapping(mapping, scope),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} is not supported."),
    };

    private static YamlSequenceNode ExpandSequence(
        YamlSequenceNode sequence,
        IReadOnlyDictionary<string, YamlNode> scope)
    {
        var result = new YamlSequenceNode();
        foreach (var item in sequence.Children)
        {
            if (item is YamlMappingNode { Children.Count: 1 } single
                && single.Children.Single() is { Key: YamlScalarNode { Value: { } key } } entry
                && EachPattern().Match(key) is { Success: true } each)
            {
                var list = Resolve(each.Groups["list"].Value, scope) as YamlSequenceNode
                    ?? throw new InvalidOperationException($"'{each.Groups["list"].Value}' is not a list.");
                foreach (var element in list.Children)
                {
                    var inner = new Dictionary<string, YamlNode>(scope, StringComparer.Ordinal)
                    {
                        [each.Groups["item"].Value] = element,
                    };
                    foreach (var expanded in ((YamlSequenceNode)Expand(entry.Value, inner)).Children)
                    {
                        result.Add(expanded);
                    }
                }
            }
            else
            {
                result.Add(Expand(item, scope));
            }
        }

        return result;
    }

    private static YamlMappingNode ExpandMapping(
        YamlMappingNode mapping,
        IReadOnlyDictionary<string, YamlNode> scope)
    {
        var result = new YamlMappingNode();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { } text } && text.Contains("${{", StringComparison.Ordinal))
            {
                throw new NotSupportedException($"Expressions in keys ('{text}') are not supported here.");
            }

            result.Add(key, Expand(value, scope));
        }

        return result;
    }

    private static YamlNode ExpandScalar(YamlScalarNode scalar, IReadOnlyDictionary<string, YamlNode> scope)
    {
        var text = scalar.Value ?? "";
        if (WholeExpressionPattern().Match(text) is { Success: true } whole)
        {
            return Resolve(whole.Groups["path"].Value, scope);
        }

        var replaced = ExpressionPattern().Replace(text, m => Resolve(m.Groups["path"].Value, scope) switch
        {
            YamlScalarNode value => value.Value ?? "",
            _ => throw new InvalidOperationException($"'{m.Value}' is not a single value in '{text}'."),
        });
        if (replaced.Contains("${{", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Unsupported expression in '{text}'.");
        }

        return new YamlScalarNode(replaced);
    }

    private static YamlNode Resolve(string path, IReadOnlyDictionary<string, YamlNode> scope)
    {
        var parts = path.Split('.');
        if (!scope.TryGetValue(parts[0], out var node))
        {
            throw new InvalidOperationException($"Unrecognized value '{parts[0]}' in '{path}'.");
        }

        foreach (var part in parts.Skip(1))
        {
            node = node is YamlMappingNode mapping
                && mapping.Children.TryGetValue(new YamlScalarNode(part), out var child)
                    ? child
                    : throw new InvalidOperationException($"'{path}' has no '{part}'.");
        }

        return node;
    }

    private static string Text(YamlMappingNode node, string key) =>
        ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    [GeneratedRegex(@"^\$\{\{\s*each\s+(?<item>[A-Za-z_]\w*)\s+in\s+(?<list>[A-Za-z_][\w.]*)\s*\}\}$")]
    private static partial Regex EachPattern();

    [GeneratedRegex(@"^\$\{\{\s*(?<path>[A-Za-z_][\w.]*)\s*\}\}$")]
    private static partial Regex WholeExpressionPattern();

    [GeneratedRegex(@"\$\{\{\s*(?<path>[A-Za-z_][\w.]*)\s*\}\}")]
    private static partial Regex ExpressionPattern();
}
