namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>The result of a run, named as the agent's TaskResult enum spells it.</summary>
internal enum RunOutcome
{
    /// <summary>Everything the run set out to do is done.</summary>
    Succeeded,

    /// <summary>Done, with warnings the user should read.</summary>
    SucceededWithIssues,

    /// <summary>The run stopped on an error.</summary>
    Failed,

    /// <summary>The run was cancelled.</summary>
    Canceled,
}
