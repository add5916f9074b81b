using System.Text.Json;

namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>The parts of task.json the agent reads: identity, version, inputs, outputs, the Node target.</summary>
internal sealed record TaskDefinition(
    Guid Id,
    string Name,
    string Version,
    IReadOnlyList<TaskInputDefinition> Inputs,
    IReadOnlyList<string> OutputVariables,
    string Target)
{
    public static TaskDefinition Load(string taskJsonPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(taskJsonPath));
        var root = document.RootElement;
        var version = root.GetProperty("version");
        var inputs = root.TryGetProperty("inputs", out var inputArray)
            ? inputArray.EnumerateArray().Select(ReadInput).ToList()
            : [];
        var outputs = root.TryGetProperty("outputVariables", out var outputArray)
            ? outputArray.EnumerateArray().Select(o => o.GetProperty("name").GetString()!).ToList()
            : [];

        // The harness runs the newest Node handler the task declares; both point at the same shim here.
        var execution = root.GetProperty("execution");
        string target = (execution.TryGetProperty("Node24", out var handler)
                || execution.TryGetProperty("Node20_1", out handler)
                ? handler.GetProperty("target").GetString()
                : null)
            ?? throw new InvalidDataException($"{taskJsonPath} has no Node24 or Node20_1 execution target.");

        return new TaskDefinition(
            Guid.Parse(root.GetProperty("id").GetString()!),
            root.GetProperty("name").GetString()!,
            $"{version.GetProperty("Major").GetInt32()}.{version.GetProperty("Minor").GetInt32()}."
            + $"{version.GetProperty("Patch").GetInt32()}",
            inputs,
            outputs,
            target);
    }

    private static TaskInputDefinition ReadInput(JsonElement input)
    {
        // Newtonsoft, which the agent uses, reads a JSON boolean into a string as "True" or "False".
        string defaultValue = input.TryGetProperty("defaultValue", out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => "True",
                JsonValueKind.False => "False",
                JsonValueKind.String => value.GetString()!,
                _ => value.GetRawText(),
            }
            : string.Empty;
        return new TaskInputDefinition(
            input.GetProperty("name").GetString()!,
            input.GetProperty("type").GetString()!,
            defaultValue);
    }
}
