using ConfigureWorkloadIdentity.Emulators.Agent;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>Checks every end-to-end run shares.</summary>
internal static class EndToEndAssert
{
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
