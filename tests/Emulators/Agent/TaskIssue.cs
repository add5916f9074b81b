namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>An issue on the step's timeline record, its message masked as the agent masks it.</summary>
/// <param name="Type">Error or warning.</param>
/// <param name="Message">The masked message.</param>
/// <param name="RaisedByAgent">
/// True when the agent raised it (a failed or unrecognised command, a non-zero exit), not the task.
/// </param>
public sealed record TaskIssue(TaskIssueType Type, string Message, bool RaisedByAgent = false);
