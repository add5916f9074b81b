namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>The agent's <c>TaskResultUtil.MergeTaskResults</c>: the worse result wins.</summary>
internal static class TaskResultMerger
{
    /// <summary>
    /// Canceled, Skipped and Abandoned stick once reached; otherwise the higher value (the worse result) wins.
    /// </summary>
    public static TaskResult Merge(TaskResult? current, TaskResult coming)
    {
        if (current is null)
        {
            return coming;
        }

        if (current > TaskResult.Failed)
        {
            return current.Value;
        }

        return coming >= current ? coming : current.Value;
    }
}
