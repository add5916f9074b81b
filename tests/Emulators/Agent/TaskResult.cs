namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// A step result, with the agent's names and numbers: <c>task.complete result=</c> accepts exactly these names
/// (case-sensitive) or their numbers, and merging keeps the worse one.
/// </summary>
public enum TaskResult
{
    /// <summary>The step succeeded.</summary>
    Succeeded = 0,

    /// <summary>The step succeeded with issues.</summary>
    SucceededWithIssues = 1,

    /// <summary>The step failed.</summary>
    Failed = 2,

    /// <summary>The step was canceled.</summary>
    Canceled = 3,

    /// <summary>The step was skipped.</summary>
    Skipped = 4,

    /// <summary>The step was abandoned.</summary>
    Abandoned = 5,
}
