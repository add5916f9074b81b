namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// A step printed or left behind a secret it must never show: thrown by <see cref="AgentHarness.RunAsync"/> after
/// every run, so no caller can forget the check. The message says where, never the secret itself.
/// </summary>
public sealed class SecretLeakedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SecretLeakedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SecretLeakedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SecretLeakedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Where the leaks were: stream and line number, summary, or file path.</summary>
    public IReadOnlyList<string> Places { get; init; } = [];
}
