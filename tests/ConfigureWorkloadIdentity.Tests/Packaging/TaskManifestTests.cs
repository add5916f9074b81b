using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Emulators.Scenario;
using NJsonSchema;

namespace ConfigureWorkloadIdentity.Tests.Packaging;

/// <summary>
/// task.json as the classic editor, the YAML assistant, tfx and the agent read it: valid against the official
/// draft-04 schema (azure-pipelines-task-lib's tasks.schema.json, copied to tests/fixtures), and consistent with
/// itself and with the inputs the executable reads.
/// </summary>
public sealed partial class TaskManifestTests
{
    private static readonly string TaskJsonPath = Path.Combine(RepositoryLayout.TaskFolder, "task.json");

    private readonly JsonObject _task = LoadTask();

    [Fact]
    public async Task TaskJson_AgainstOfficialSchema_IsValid()
    {
        var errors = await ValidateAsync(_task);

        Assert.True(errors.Count == 0, "task.json breaks tasks.schema.json:\n" + string.Join("\n", errors));
    }

    [Theory]
    [InlineData("inputs", "name", "resource-group")]
    [InlineData("inputs", "type", "dropdown")]
    [InlineData("outputVariables", "name", "client_id")]
    [InlineData("execution", "Node20", "run.js")]
    [InlineData("", "category", "Deployment")]
    [InlineData("", "minimumAgentVersion", "latest")]
    public async Task Schema_BrokenTaskJson_IsRejected(string section, string key, string value)
    {
        // The schema check itself can fail: each of these edits is a mistake the editor or the agent rejects.
        var task = LoadTask();
        switch (section)
        {
            case "":
                task[key] = value;
                break;
            case "execution":
                task["execution"]![key] = new JsonObject { ["target"] = value };
                break;
            default:
                task[section]!.AsArray()[0]![key] = value;
                break;
        }

        var errors = await ValidateAsync(task);

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void TaskJson_WhatTfxChecks_Holds()
    {
        // tfx extension create (jsonvalidate.ts validateTask) checks these beyond the schema.
        Assert.Matches("^[A-Za-z0-9-]+$", (string)_task["name"]!);
        Assert.Equal("Configure Workload Identity", (string)_task["friendlyName"]!);
        Assert.InRange(((string)_task["friendlyName"]!).Length, 1, 40);
        Assert.False(string.IsNullOrWhiteSpace((string?)_task["instanceNameFormat"]));
        Assert.True(Guid.TryParse((string?)_task["id"], out _));
        foreach (var (_, handler) in _task["execution"]!.AsObject())
        {
            var target = (string)handler!["target"]!;
            Assert.True(File.Exists(Path.Combine(RepositoryLayout.TaskFolder, target)), $"No {target} in the task.");
        }
    }

    [Fact]
    public void TaskJson_Execution_IsNode20AndNode24OnTheOneShim()
    {
        var execution = _task["execution"]!.AsObject();

        Assert.Equal(["Node20_1", "Node24"], execution.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.All(execution, e => Assert.Equal("run.js", (string)e.Value!["target"]!));
        Assert.Matches(@"^\d+\.\d+\.\d+$", (string)_task["minimumAgentVersion"]!);
        Assert.Equal("Deploy", (string)_task["category"]!);
        Assert.StartsWith("https://", (string)_task["helpUrl"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Inputs_GroupsAndRules_ReferToWhatExists()
    {
        var inputs = Inputs().Select(i => (string)i["name"]!).ToHashSet(StringComparer.Ordinal);
        var groups = _task["groups"]!.AsArray().Select(g => (string)g!["name"]!).ToList();

        Assert.Equal(["identity", "cluster", "workloads", "serviceAccount", "advanced"], groups);
        foreach (var input in Inputs())
        {
            var name = (string)input["name"]!;
            Assert.Contains((string)input["groupName"]!, groups);
            Assert.False(string.IsNullOrWhiteSpace((string?)input["helpMarkDown"]), $"{name} has no help.");
            if ((string?)input["visibleRule"] is { } rule)
            {
                foreach (var referenced in RuleOperands(rule))
                {
                    Assert.True(inputs.Contains(referenced), $"{name}'s visibleRule names no input: {referenced}");
                }
            }
        }

        Assert.Equal("issuerSource = aksCluster", (string?)Input("clusterName")["visibleRule"]);
        Assert.Equal("issuerSource = issuerUrl", (string?)Input("issuerUrl")["visibleRule"]);
        Assert.Contains((string)Input("issuerSource")["defaultValue"]!, Input("issuerSource")["options"]!.AsObject()
            .Select(o => o.Key));
    }

    [Theory]
    [InlineData("resourceGroup", "/resourcegroups?")]
    [InlineData("identityName", "$(resourceGroup)/providers/Microsoft.ManagedIdentity/userAssignedIdentities?")]
    [InlineData("clusterResourceGroup", "/resourcegroups?")]
    [InlineData("clusterName", "/providers/Microsoft.ContainerService/managedClusters?")]
    public void DataSourceBindings_ListThroughTheAzureConnection(string target, string path)
    {
        var binding = Assert.Single(_task["dataSourceBindings"]!.AsArray(), b => (string?)b!["target"] == target)!;

        Assert.Equal("$(azureSubscription)", (string?)binding["endpointId"]);
        var url = (string)binding["endpointUrl"]!;
        // The server only proxies URLs that start with the endpoint's own URL.
        const string Subscription = "{{{endpoint.url}}}/subscriptions/{{{endpoint.subscriptionId}}}";
        Assert.StartsWith(Subscription, url, StringComparison.Ordinal);
        Assert.Contains(path, url, StringComparison.Ordinal);
        Assert.Matches(@"api-version=\d{4}-\d{2}-\d{2}$", url);
        Assert.Equal("jsonpath:$.value[*]", (string?)binding["resultSelector"]);
        // A picker whose list comes from Azure must still take a typed value or a $(variable).
        var input = Input(target);
        Assert.Equal("pickList", (string?)input["type"]);
        Assert.Equal("True", (string?)input["properties"]?["EditableOptions"]);
        Assert.Equal("connectedService:AzureRM", (string?)Input("azureSubscription")["type"]);
    }

    [Fact]
    public void Inputs_AreTheOnesTheExecutableReads()
    {
        var known = typeof(InputNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(known, Inputs().Select(i => (string)i["name"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OutputVariables_AreDescribed()
    {
        var outputs = _task["outputVariables"]!.AsArray();

        Assert.Equal(
            [
                "clientId", "principalId", "tenantId", "issuerUrl", "federatedCredentialName", "serviceAccount",
                "bindings", "manifestPath",
            ],
            outputs.Select(o => (string)o!["name"]!));
        Assert.All(outputs, o => Assert.False(string.IsNullOrWhiteSpace((string?)o!["description"])));
    }

    [Fact]
    public void InstanceNameFormat_NamesInputsThatExist()
    {
        var format = (string)_task["instanceNameFormat"]!;
        var inputs = Inputs().Select(i => (string)i["name"]!).ToList();

        Assert.All(MacroPattern().Matches(format), m => Assert.Contains(m.Groups[1].Value, inputs));
    }

    /// <summary>Validates against tests/fixtures/tasks.schema.json; the messages name path and kind.</summary>
    internal static async Task<IReadOnlyList<string>> ValidateAsync(JsonObject task)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "fixtures",
            "tasks.schema.json"));
        // "$schema" tells editors which schema to use; it names the schema rather than being task content
        // (the agent and tfx ignore it), and the schema's closed top level does not list it.
        var copy = task.DeepClone().AsObject();
        copy.Remove("$schema");
        return schema.Validate(copy.ToJsonString()).Select(e => $"{e.Path}: {e.Kind} ({e})").ToList();
    }

    internal static JsonObject LoadTask() => JsonNode.Parse(File.ReadAllText(TaskJsonPath))!.AsObject();

    private IEnumerable<JsonObject> Inputs() => _task["inputs"]!.AsArray().Select(i => i!.AsObject());

    private JsonObject Input(string name) => Inputs().Single(i => (string?)i["name"] == name);

    // "a = x && b != y || c NotEndsWith z": the left operand of each comparison is an input name.
    private static IEnumerable<string> RuleOperands(string rule) =>
        rule.Split(["&&", "||"], StringSplitOptions.TrimEntries)
            .Select(clause => clause.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);

    [GeneratedRegex(@"\$\(([A-Za-z][A-Za-z0-9]*)\)")]
    private static partial Regex MacroPattern();
}
