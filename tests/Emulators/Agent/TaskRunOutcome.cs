namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>How the node process ended and the result the agent derived from it.</summary>
internal sealed record TaskRunOutcome(
    int ExitCode,
    TaskResult Result,
    string? ResultMessage,
    bool TimedOut,
    bool Canceled,
    TimeSpan Duration,
    string Stdout,
    string Stderr);
