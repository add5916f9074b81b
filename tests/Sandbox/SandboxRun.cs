using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>One run of the task in the sandbox, printed as the agent's log shows it.</summary>
internal static class SandboxRun
{
    /// <summary>Runs the task through the real shim; prints its output (secrets masked) and outputs.</summary>
    public static async Task<TaskRun> RunAsync(
        string title,
        AgentHarness harness,
        EmulatedWorld world,
        Action<Dictionary<string, string>>? inputs,
        CancellationToken ct)
    {
        Console.WriteLine($"== {title}: node run.js, as the agent starts it; raw output (secrets shown as ***)");
        var run = await harness.RunAsync(world.CreateJob(inputs), ct);
        foreach (var line in run.Lines)
        {
            Console.WriteLine("  " + world.Secrets.Aggregate(line, (text, secret) => text.Replace(secret, "***")));
        }

        Console.WriteLine($"-- the agent reads: result {run.Result}: {run.ResultMessage}");
        foreach (var variable in run.OutputVariables)
        {
            Console.WriteLine($"   output {variable.Name} = {variable.Value}");
        }

        Console.WriteLine();
        return run;
    }
}
