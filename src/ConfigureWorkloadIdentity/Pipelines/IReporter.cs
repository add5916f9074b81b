namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// Where a run reports what it does: pipeline logging commands in task mode, plain text on a laptop.
/// Every text given here may come from elsewhere; implementations make it safe to print.
/// </summary>
internal interface IReporter
{
    /// <summary>Starts a collapsible section.</summary>
    void BeginGroup(string title);

    /// <summary>Ends the current section.</summary>
    void EndGroup();

    /// <summary>A plain line for the user.</summary>
    void Info(string message);

    /// <summary>A line shown only when debugging is on.</summary>
    void Debug(string message);

    /// <summary>A warning that does not stop the run.</summary>
    void Warning(string message);

    /// <summary>An error; the run fails.</summary>
    void Error(string message);

    /// <summary>Tells the log to mask a secret value from now on.</summary>
    void RegisterSecret(string value);

    /// <summary>Sets an output variable declared in task.json.</summary>
    void SetOutput(string name, string value);

    /// <summary>Attaches a Markdown summary to the pipeline run (nothing on a terminal).</summary>
    void UploadSummary(string markdown);

    /// <summary>Reports the final result and message.</summary>
    void Complete(RunOutcome outcome, string message);
}
