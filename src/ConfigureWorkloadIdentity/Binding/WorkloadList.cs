using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Reads YAML lists of the task's inputs (<c>workloads</c>, <c>roleAssignments</c>, labels and annotations)
/// through YamlDotNet's node model, which needs no reflection (Native AOT). Every problem is reported with the
/// entry and line it is on; nothing is guessed.
/// </summary>
internal static class WorkloadList
{
    /// <summary>The keys an entry of <c>workloads</c> may have.</summary>
    public static IReadOnlyList<string> EntryKeys { get; } =
    [
        InputNames.Namespace, InputNames.ServiceAccountName, InputNames.IdentityName, InputNames.ResourceGroup,
        "identityResourceId", InputNames.FederatedCredentialName, "labels", "annotations",
        InputNames.RoleAssignments,
    ];

    /// <summary>Parses the <c>workloads</c> input; adds an error per problem.</summary>
    public static IReadOnlyList<WorkloadEntry> ReadWorkloads(string text, List<InputError> errors)
    {
        var entries = new List<WorkloadEntry>();
        if (Load(InputNames.Workloads, text, errors) is not { } root)
        {
            return entries;
        }

        if (root is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            errors.Add(Error(InputNames.Workloads, root, "must be a YAML list with one entry per workload, "
                + "for example:\n  - namespace: payments\n    serviceAccountName: payments-api\n"
                + "    identityName: id-payments"));
            return entries;
        }

        var number = 0;
        foreach (var node in sequence.Children)
        {
            number++;
            var where = $"entry {number} (line {node.Start.Line})";
            if (node is not YamlMappingNode mapping)
            {
                errors.Add(new InputError(InputNames.Workloads,
                    $"Input '{InputNames.Workloads}' {where} must be a mapping of {string.Join(", ", EntryKeys)}."));
                continue;
            }

            var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in WithMerges(mapping, where, errors))
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!EntryKeys.Contains(key))
                {
                    var close = EntryKeys.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
                    errors.Add(new InputError(InputNames.Workloads,
                        $"Input '{InputNames.Workloads}' {where} has the unknown key '{RequestReader.Echo(key)}'"
                        + (close is null ? $"; the keys are {string.Join(", ", EntryKeys)}."
                            : $"; did you mean '{close}'?")));
                }
                else
                {
                    // The YAML parser has refused a key given twice already.
                    values[key] = value;
                }
            }

            string? Scalar(string key)
            {
                if (!values.TryGetValue(key, out var value))
                {
                    return null;
                }

                if (value is YamlScalarNode scalar)
                {
                    return (scalar.Value ?? "").Trim();
                }

                errors.Add(new InputError(InputNames.Workloads,
                    $"Input '{InputNames.Workloads}' {where}: '{key}' (line {value.Start.Line}) must be a single "
                    + "value, not a list or mapping."));
                return "";
            }

            var context = $"Input '{InputNames.Workloads}' {where}";
            entries.Add(new WorkloadEntry(number, (int)node.Start.Line)
            {
                Namespace = Scalar(InputNames.Namespace),
                ServiceAccountName = Scalar(InputNames.ServiceAccountName),
                IdentityName = Scalar(InputNames.IdentityName),
                ResourceGroup = Scalar(InputNames.ResourceGroup),
                IdentityResourceId = Scalar("identityResourceId"),
                FederatedCredentialName = Scalar(InputNames.FederatedCredentialName),
                Labels = values.TryGetValue("labels", out var labels)
                    ? ReadMap(InputNames.Workloads, $"{context}: 'labels'", labels, errors) : null,
                Annotations = values.TryGetValue("annotations", out var annotations)
                    ? ReadMap(InputNames.Workloads, $"{context}: 'annotations'", annotations, errors) : null,
                RoleAssignments = values.TryGetValue(InputNames.RoleAssignments, out var roles)
                    ? ReadRoles(InputNames.Workloads, $"{context}: '{InputNames.RoleAssignments}'", roles, errors)
                    : null,
            });
        }

        return entries;
    }

    /// <summary>
    /// An entry's keys with YAML merge keys resolved ("&lt;&lt;: *defaults", or a list of such): keys given in the
    /// entry win over merged ones, earlier merged mappings over later ones, as the YAML merge key type says.
    /// </summary>
    private static List<KeyValuePair<YamlNode, YamlNode>> WithMerges(
        YamlMappingNode mapping,
        string where,
        List<InputError> errors)
    {
        static bool IsMerge(YamlNode key) => key is YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain };
        var own = mapping.Children.Where(c => !IsMerge(c.Key)).ToList();
        var seen = own.Select(c => (c.Key as YamlScalarNode)?.Value).ToHashSet(StringComparer.Ordinal);
        var sources = mapping.Children.Where(c => IsMerge(c.Key))
            .SelectMany(c => c.Value is YamlSequenceNode list ? list.Children : [c.Value])
            .ToList();
        if (sources.Any(n => n is not YamlMappingNode))
        {
            errors.Add(new InputError(InputNames.Workloads, $"Input '{InputNames.Workloads}' {where}: a merge key "
                + "'<<' must name a mapping (such as '<<: *defaults'), or a list of them."));
        }

        var merged = sources.OfType<YamlMappingNode>()
            .SelectMany(m => m.Children)
            .Where(c => seen.Add((c.Key as YamlScalarNode)?.Value));
        return [.. own, .. merged];
    }

    /// <summary>Parses a role assignments input: a YAML list of <c>role</c> and <c>scope</c>.</summary>
    public static IReadOnlyList<RoleGrant> ReadRoleAssignments(string text, List<InputError> errors) =>
        Load(InputNames.RoleAssignments, text, errors) is { } root
            ? ReadRoles(InputNames.RoleAssignments, $"Input '{InputNames.RoleAssignments}'", root, errors)
            : [];

    /// <summary>
    /// Parses a key/value input: a YAML mapping (<c>team: payments</c>), one pair per line; values stay text.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadPairs(string input, string text, List<InputError> errors) =>
        Load(input, text, errors) is { } root
            ? ReadMap(input, $"Input '{input}'", root, errors)
            : new Dictionary<string, string>();

    private static YamlNode? Load(string input, string text, List<InputError> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            // YamlDotNet's message names the line and column; the text itself is not echoed.
            errors.Add(new InputError(input, $"Input '{input}' is not valid YAML: line {ex.Start.Line}, column "
                + $"{ex.Start.Column}: {ex.Message.Split(": ", 2)[^1]}"));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(new InputError(input, $"Input '{input}' must hold one YAML document."));
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    private static Dictionary<string, string> ReadMap(
        string input,
        string context,
        YamlNode node,
        List<InputError> errors)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(Error(input, node, $"{context} must be a mapping of keys to values, such as 'team: payments'.",
                prefixed: true));
            return map;
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || valueNode is not YamlScalarNode value)
            {
                errors.Add(Error(input, keyNode, $"{context}: each key and value must be a single value.",
                    prefixed: true));
                continue;
            }

            map[key] = value.Value ?? "";
        }

        return map;
    }

    private static List<RoleGrant> ReadRoles(string input, string context, YamlNode node, List<InputError> errors)
    {
        var grants = new List<RoleGrant>();
        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(Error(input, node, $"{context} must be a YAML list of 'role' and 'scope', for example:\n"
                + "  - role: Key Vault Secrets User\n    scope: /subscriptions/<id>/resourceGroups/<rg>/providers/"
                + "Microsoft.KeyVault/vaults/<name>", prefixed: true));
            return grants;
        }

        foreach (var item in sequence.Children)
        {
            var line = item.Start.Line;
            if (item is not YamlMappingNode mapping)
            {
                errors.Add(Error(input, item, $"{context}: the item on line {line} must have 'role' and 'scope'.",
                    prefixed: true));
                continue;
            }

            string? role = null;
            string? scope = null;
            foreach (var (keyNode, valueNode) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                var value = (valueNode as YamlScalarNode)?.Value?.Trim();
                switch (key)
                {
                    case "role" when value is not null: role = value; break;
                    case "scope" when value is not null: scope = value; break;
                    default:
                        errors.Add(Error(input, keyNode, $"{context}: the item on line {line} may only have 'role' "
                            + "and 'scope', each a single value.", prefixed: true));
                        break;
                }
            }

            if (string.IsNullOrEmpty(role) || string.IsNullOrEmpty(scope))
            {
                errors.Add(Error(input, item, $"{context}: the item on line {line} needs both 'role' (a role name "
                    + "such as Key Vault Secrets User, or its id) and 'scope' (a resource id).", prefixed: true));
                continue;
            }

            grants.Add(new RoleGrant(role, scope));
        }

        return grants;
    }

    private static InputError Error(string input, YamlNode node, string text, bool prefixed = false) =>
        new(input, prefixed ? text : $"Input '{input}' (line {node.Start.Line}) {text}");
}
