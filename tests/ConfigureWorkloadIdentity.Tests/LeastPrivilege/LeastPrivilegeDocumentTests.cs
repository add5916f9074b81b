using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Emulators.Scenario;
using YamlDotNet.RepresentationModel;

namespace ConfigureWorkloadIdentity.Tests.LeastPrivilege;

/// <summary>
/// docs/least-privilege.md lists exactly <see cref="Permissions"/>, row for row, and its custom Azure roles and
/// Kubernetes roles grant exactly the union of those rows: nothing missing, nothing extra.
/// </summary>
public sealed partial class LeastPrivilegeDocumentTests
{
    private static readonly string DocumentPath = Path.Combine(RepositoryLayout.Root, "docs", "least-privilege.md");
    private static readonly string Document = File.ReadAllText(DocumentPath);

    [Fact]
    public void ModesTable_ListsEveryMode()
    {
        var rows = Table("| Mode | Inputs |");

        Assert.Equal(Permissions.Modes, rows.Select(r => Unquote(r["Mode"])));
    }

    [Fact]
    public void AzureTable_IsExactlyThePermissionTable()
    {
        var rows = Table("| Action | Scope |");

        Assert.Equal(
            Permissions.Azure.Select(p => $"{p.Action} | {p.Scope} | {p.When} | {p.WithoutIt} | {Modes(p.Modes)}"),
            rows.Select(r => $"{Unquote(r["Action"])} | {r["Scope"]} | {r["When"]} | {r["Without it"]} | "
                + Modes(r)));
    }

    [Fact]
    public void KubernetesTable_IsExactlyThePermissionTable()
    {
        var rows = Table("| API group | Resource |");

        Assert.Equal(
            Permissions.Kubernetes.Select(p => $"{p.Group} | {p.Resource} | {p.Verb} | {p.Scope} | {p.When} | "
                + $"{p.WithoutIt} | {Modes(p.Modes)}"),
            rows.Select(r => $"{Group(r["API group"])} | {Unquote(r["Resource"])} | {Unquote(r["Verb"])} | "
                + $"{r["Scope"]} | {r["When"]} | {r["Without it"]} | {Modes(r)}"));
    }

    [Fact]
    public void TablesUseOnlyKnownScopesAndOutcomes()
    {
        Assert.All(Permissions.Azure, p => Assert.Contains(p.Scope, Permissions.AzureScopes));
        Assert.All(Permissions.Kubernetes, p => Assert.Contains(p.Scope,
            new[] { Permissions.ClusterScope, Permissions.NamespaceScope }));
        Assert.All(Permissions.Azure.Select(p => p.WithoutIt).Concat(Permissions.Kubernetes.Select(p => p.WithoutIt)),
            o => Assert.Contains(o, Permissions.Outcomes));
        Assert.All(Permissions.Azure.SelectMany(p => p.Modes).Concat(Permissions.Kubernetes.SelectMany(p => p.Modes)),
            m => Assert.Contains(m, Permissions.Modes));
    }

    [Fact]
    public void CustomAzureRoles_GrantExactlyTheActionsOfTheTable()
    {
        var actions = JsonBlockPattern().Matches(Document)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!)
            .SelectMany(role => role["Actions"]!.AsArray().Select(a => (string)a!))
            .ToList();

        Assert.Equal(actions.Count, actions.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(
            Permissions.Azure.Select(p => p.Action).Distinct().Order(StringComparer.Ordinal),
            actions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void KubernetesRoles_GrantExactlyTheRulesOfTheTable()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(YamlBlockPattern().Match(Document).Groups[1].Value));
        var granted = new List<string>();
        foreach (var root in yaml.Documents.Select(d => (YamlMappingNode)d.RootNode))
        {
            var kind = root["kind"].ToString();
            if (kind is not ("ClusterRole" or "Role"))
            {
                continue;
            }

            var scope = kind == "ClusterRole" ? Permissions.ClusterScope : Permissions.NamespaceScope;
            foreach (var rule in ((YamlSequenceNode)root["rules"]).Cast<YamlMappingNode>())
            {
                granted.AddRange(
                    from g in Items(rule, "apiGroups")
                    from r in Items(rule, "resources")
                    from v in Items(rule, "verbs")
                    select $"{g} {r} {v} {scope}");
            }
        }

        Assert.Equal(
            Permissions.Kubernetes.Select(p => $"{p.Group} {p.Resource} {p.Verb} {p.Scope}").Distinct()
                .Order(StringComparer.Ordinal),
            granted.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("task/overview.md")]
    public void Readmes_LinkTheDocument(string file)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryLayout.Root, file));

        Assert.Contains("docs/least-privilege.md", text, StringComparison.Ordinal);
    }

    private static List<Dictionary<string, string>> Table(string headerStart)
    {
        var lines = Document.Split('\n');
        var at = Array.FindIndex(lines, l => l.StartsWith(headerStart, StringComparison.Ordinal));
        Assert.True(at >= 0, $"docs/least-privilege.md has no table starting '{headerStart}'");
        var header = Cells(lines[at]);
        return [.. lines.Skip(at + 2)
            .TakeWhile(l => l.StartsWith('|'))
            .Select(l => header.Zip(Cells(l)).ToDictionary(c => c.First, c => c.Second))];
    }

    private static string[] Cells(string line) =>
        [.. line.Trim().Trim('|').Split('|').Select(c => c.Trim())];

    private static string Modes(IEnumerable<string> modes) => string.Join(",", modes);

    private static string Modes(Dictionary<string, string> row) =>
        Modes(Permissions.Modes.Where(m => row[m] switch
        {
            "✓" => true,
            "" => false,
            var other => throw new InvalidDataException($"Mode cell '{other}' is neither ✓ nor empty."),
        }));

    private static string Unquote(string cell) => cell.Trim('`');

    private static string Group(string cell) => Unquote(cell) == "\"\"" ? "" : Unquote(cell);

    private static IEnumerable<string> Items(YamlMappingNode rule, string key) =>
        ((YamlSequenceNode)rule[key]).Select(n => n.ToString());

    [GeneratedRegex(@"```json\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlockPattern();

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlockPattern();
}
