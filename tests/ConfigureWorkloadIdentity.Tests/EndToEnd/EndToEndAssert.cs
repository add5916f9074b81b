using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>Checks every end-to-end run shares.</summary>
internal static class EndToEndAssert
{
    /// <summary>
    /// No secret of the world (client secret, certificate key, OIDC and access tokens, Kubernetes and
    /// ServiceAccount tokens) appears in stdout or stderr, except as the value of the task.setsecret command that
    /// tells the agent to mask it, nor in the job summary or any file the run left in the agent's folders.
    /// </summary>
    public static void NoSecretLeaked(TaskRun run, EmulatedWorld world)
    {
        var leftBehind = run.ListFilesLeftBehind().Select(f => (Path: f, Text: ReadText(f))).ToList();
        foreach (var secret in world.Secrets)
        {
            Assert.DoesNotContain(run.Summaries, s => s.Content.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(leftBehind, f => f.Text.Contains(secret, StringComparison.Ordinal));
            var leaks = run.Lines
                .Where(l => l.Contains(secret, StringComparison.Ordinal) && l != "##vso[task.setsecret]" + secret)
                .ToList();
            Assert.True(leaks.Count == 0, $"A secret reached the output: {string.Join(" | ", leaks)}");
            Assert.DoesNotContain(secret, run.Stderr, StringComparison.Ordinal);
        }
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
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
