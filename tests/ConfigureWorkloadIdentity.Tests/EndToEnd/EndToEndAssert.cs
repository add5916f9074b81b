using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>Checks every end-to-end run shares.</summary>
internal static class EndToEndAssert
{
    /// <summary>
    /// No secret of the world (client secret, Kubernetes token, any access token issued) appears in stdout or
    /// stderr, except as the value of the task.setsecret command that tells the agent to mask it.
    /// </summary>
    public static void NoSecretLeaked(TaskRun run, EmulatedWorld world)
    {
        foreach (var secret in world.Secrets)
        {
            var leaks = run.Lines
                .Where(l => l.Contains(secret, StringComparison.Ordinal) && l != "##vso[task.setsecret]" + secret)
                .ToList();
            Assert.True(leaks.Count == 0, $"A secret reached the output: {string.Join(" | ", leaks)}");
            Assert.DoesNotContain(secret, run.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>The run failed with an error issue containing every given fragment.</summary>
    public static string FailedWith(TaskRun run, params string[] fragments)
    {
        Assert.True(run.Result == TaskResult.Failed, $"Expected Failed, got {run.Result}:\n{run.Stdout}");
        var errors = string.Join("\n", run.Errors.Select(e => e.Message));
        foreach (var fragment in fragments)
        {
            Assert.True(errors.Contains(fragment, StringComparison.Ordinal), $"'{fragment}' is not in: {errors}");
        }

        return errors;
    }

    /// <summary>The run succeeded.</summary>
    public static void Succeeded(TaskRun run) =>
        Assert.True(run.Result == TaskResult.Succeeded, $"Expected Succeeded, got {run.Result}:\n{run.Stdout}");
}
