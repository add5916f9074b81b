using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;
using ConfigureWorkloadIdentity.Tests.EndToEnd;
using ConfigureWorkloadIdentity.Tests.Packaging;
using YamlDotNet.RepresentationModel;

namespace ConfigureWorkloadIdentity.Tests.Usage;

/// <summary>
/// The three documented ways to use the task, each checked against task.json and run through the agent harness
/// on the reference scenario: the README's YAML step, the steps template for spoke repositories expanded with a
/// spoke pipeline's parameters, and the classic task group export.
/// </summary>
public sealed partial class UsageTests : IAsyncLifetime
{
    private static readonly string TemplatePath =
        Path.Combine(RepositoryLayout.Root, "task", "templates", "configure-workload-identity.yml");

    private static readonly string TaskGroupPath =
        Path.Combine(RepositoryLayout.Root, "task", "templates", "classic-task-group.json");

    private readonly JsonObject _task = TaskManifestTests.LoadTask();
    private EmulatedWorld _world = null!;

    public async Task InitializeAsync() => _world = await EmulatedWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task ReadmeYamlStep_RunsOnTheReferenceScenario()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "README.md"));
        var section = readme[readme.IndexOf("### In a YAML pipeline", StringComparison.Ordinal)..];
        var yaml = YamlBlockPattern().Match(section).Groups[1].Value;
        var steps = LoadYaml(yaml).Cast<YamlMappingNode>().ToList();
        var step = steps.First(s => s.Children.ContainsKey(new YamlScalarNode("task")));

        var inputs = CheckStep(step);

        await RunAndCheckAsync(inputs);
    }

    [Fact]
    public async Task Template_SpokePipeline_ExpandsToOneStepPerWorkload()
    {
        var steps = ExpandSpokePipeline();

        Assert.Equal(2, steps.Count);
        Assert.Equal(["wi_exampleapp", "wi_exampleapp_jobs"], steps.Select(s => Scalar(s, "name")));
        Assert.Equal("Workload identity exampleapp-jobs/exampleapp-jobs-sa", Scalar(steps[1], "displayName"));
        var second = CheckStep(steps[1]);
        Assert.Equal("mi-aks-pri-exampleapp-jobs-sbx", second["identityName"]);
        Assert.Equal("exampleapp-jobs", second["namespace"]);
        Assert.Equal("sc-pri-exampleapp-sbx", second["azureSubscription"]);
        Assert.Equal("true", second["createNamespace"]);
        Assert.DoesNotContain(
            steps.SelectMany(s => Inputs(s).Values), v => v.Contains("${{", StringComparison.Ordinal));

        await RunAndCheckAsync(CheckStep(steps[0]));
    }

    [Fact]
    public void Template_NoWorkloads_ExpandsToNoSteps()
    {
        var arguments = SpokeArguments();
        arguments.Children.Remove(new YamlScalarNode("workloads"));

        Assert.Empty(TemplateExpander.ExpandSteps(TemplatePath, arguments).Children);
    }

    [Theory]
    [InlineData("clusterName", "A value for the 'clusterName' parameter must be provided.")]
    [InlineData("azureSubscription", "A value for the 'azureSubscription' parameter must be provided.")]
    public void Template_RequiredParameterMissing_FailsNamingIt(string parameter, string message)
    {
        var arguments = SpokeArguments();
        arguments.Children.Remove(new YamlScalarNode(parameter));

        var error = Assert.Throws<InvalidOperationException>(
            () => TemplateExpander.ExpandSteps(TemplatePath, arguments));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task ClassicTaskGroup_ReferencesTheTaskAndRunsWithReleaseVariables()
    {
        var group = JsonNode.Parse(File.ReadAllText(TaskGroupPath))!;
        Assert.Equal("metaTask", (string?)group["definitionType"]);
        var step = Assert.Single(group["tasks"]!.AsArray())!;
        Assert.Equal((string?)_task["id"], (string?)step["task"]!["id"]);
        Assert.Equal($"{_task["version"]!["Major"]}.*", (string?)step["task"]!["versionSpec"]);
        var declared = group["inputs"]!.AsArray().Select(i => (string)i!["name"]!).ToHashSet(StringComparer.Ordinal);
        var raw = step["inputs"]!.AsObject().ToDictionary(i => i.Key, i => (string)i.Value!, StringComparer.Ordinal);
        // Every $(x) a task group step uses becomes one of the group's own inputs, as the editor creates them.
        Assert.All(raw.Values.SelectMany(v => MacroPattern().Matches(v)), m => Assert.Contains(m.Groups[1].Value,
            declared));

        // The release supplies the group's inputs; the step's macros take their values.
        var release = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["azureSubscription"] = ServiceConnectionName,
            ["resourceGroup"] = _world.Scenario.IdentityResourceGroup,
            ["identityName"] = _world.Scenario.IdentityName,
            ["clusterResourceGroup"] = _world.Scenario.ClusterResourceGroup,
            ["clusterName"] = _world.Scenario.ClusterName,
            ["namespace"] = _world.Scenario.Namespace,
            ["serviceAccountName"] = _world.Scenario.ServiceAccountName,
            ["kubeconfig"] = "$(Agent.TempDirectory)/kubeconfig",
        };
        Assert.Equal(declared.Order(StringComparer.Ordinal), release.Keys.Order(StringComparer.Ordinal));
        var inputs = raw.ToDictionary(i => i.Key, i => MacroPattern().Replace(i.Value,
            m => release.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value), StringComparer.Ordinal);
        CheckInputs(inputs);

        await RunAndCheckAsync(inputs);
    }

    private static string ServiceConnectionName => (string)JsonNode.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "fixtures", "reference-scenario.json")))!["serviceConnection"]!["name"]!;

    private static YamlMappingNode SpokeArguments()
    {
        var fixtures = Path.Combine(RepositoryLayout.Root, "tests", "fixtures");
        var pipeline = TemplateExpander.Load(Path.Combine(fixtures, "spoke-pipeline.yml"));
        var steps = (YamlSequenceNode)pipeline.Children[new YamlScalarNode("steps")];
        var use = steps.Children.Cast<YamlMappingNode>()
            .Single(s => s.Children.ContainsKey(new YamlScalarNode("template")));
        var template = Path.GetFullPath(Path.Combine(fixtures, Scalar(use, "template")));
        Assert.Equal(TemplatePath, template);
        return (YamlMappingNode)use.Children[new YamlScalarNode("parameters")];
    }

    private static List<YamlMappingNode> ExpandSpokePipeline() =>
        TemplateExpander.ExpandSteps(TemplatePath, SpokeArguments()).Children.Cast<YamlMappingNode>().ToList();

    private static YamlSequenceNode LoadYaml(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlSequenceNode)stream.Documents.Single().RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key) =>
        ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    private static Dictionary<string, string> Inputs(YamlMappingNode step) =>
        ((YamlMappingNode)step.Children[new YamlScalarNode("inputs")]).Children
        .ToDictionary(i => ((YamlScalarNode)i.Key).Value!, i => ((YamlScalarNode)i.Value).Value ?? "",
            StringComparer.Ordinal);

    /// <summary>The step names this task at its major version, with inputs task.json declares.</summary>
    private Dictionary<string, string> CheckStep(YamlMappingNode step)
    {
        Assert.Equal($"{_task["name"]}@{_task["version"]!["Major"]}", Scalar(step, "task"));
        var inputs = Inputs(step);
        CheckInputs(inputs);
        return inputs;
    }

    private void CheckInputs(IReadOnlyDictionary<string, string> inputs)
    {
        var declared = _task["inputs"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.All(inputs.Keys, k => Assert.Contains(k, declared.Select(d => (string)d["name"]!)));
        foreach (var required in declared.Where(d => (bool?)d["required"] == true && d["defaultValue"] is null))
        {
            Assert.True(inputs.ContainsKey((string)required["name"]!), $"The step lacks {required["name"]}.");
        }
    }

    /// <summary>
    /// Runs the step as the agent would after resolving it: the connection's name becomes its id and
    /// $(Agent.TempDirectory)/kubeconfig the emulated cluster's kubeconfig.
    /// </summary>
    private async Task RunAndCheckAsync(IReadOnlyDictionary<string, string> inputs)
    {
        Assert.Equal(ServiceConnectionName, inputs["azureSubscription"]);
        // The uses reach the cluster through the Azure connection; a kubeconfig, if named, is the job's.
        var kubeconfig = inputs.GetValueOrDefault("kubeconfig");
        Assert.True(kubeconfig is null or "" or "$(Agent.TempDirectory)/kubeconfig",
            $"Unexpected kubeconfig {kubeconfig}");
        var job = _world.CreateJob(given =>
        {
            given.Clear();
            foreach (var (name, value) in inputs)
            {
                given[name] = value;
            }

            given["azureSubscription"] = _world.Scenario.ServiceConnectionId.ToString();
            if (!string.IsNullOrEmpty(kubeconfig))
            {
                given["kubeconfig"] = _world.KubeconfigPath;
            }
        });
        var harness = new AgentHarness(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);

        using var run = await harness.RunAsync(job);

        EndToEndAssert.Succeeded(run);
        var scenario = _world.Scenario;
        var credential = Assert.Single(_world.Azure.State.GetFederatedCredentials(
            scenario.SubscriptionId, scenario.IdentityResourceGroup, scenario.IdentityName));
        Assert.Equal(scenario.Subject, credential.Subject);
        Assert.Equal($"{scenario.Namespace}/{scenario.ServiceAccountName}", run.GetVariable("serviceAccount"));
        Assert.Equal(scenario.ClientId, run.GetVariable("clientId"));
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlockPattern();

    [GeneratedRegex(@"\$\(([A-Za-z][A-Za-z0-9]*)\)")]
    private static partial Regex MacroPattern();
}
