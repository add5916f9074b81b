namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>The kind of a timeline issue.</summary>
public enum TaskIssueType
{
    /// <summary>An error; it does not fail the step by itself.</summary>
    Error,

    /// <summary>A warning.</summary>
    Warning,
}
