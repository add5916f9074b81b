namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>Reports as plain text for a person at a terminal (CLI mode).</summary>
internal sealed class ConsoleReporter(TextWriter output, TextWriter error, bool verbose) : IReporter
{
    private int _depth;

    /// <inheritdoc />
    public void BeginGroup(string title)
    {
        output.WriteLine(LoggingCommand.OneLine(title));
        _depth = 1;
    }

    /// <inheritdoc />
    public void EndGroup() => _depth = 0;

    /// <inheritdoc />
    public void Info(string message) => output.WriteLine(Indent + LoggingCommand.Neutralize(message));

    /// <inheritdoc />
    public void Debug(string message)
    {
        if (verbose)
        {
            output.WriteLine(Indent + "debug: " + LoggingCommand.OneLine(message));
        }
    }

    /// <inheritdoc />
    public void Warning(string message) =>
        error.WriteLine(Indent + "warning: " + CliWording.Apply(LoggingCommand.Neutralize(message)));

    /// <inheritdoc />
    public void Error(string message) =>
        error.WriteLine("error: " + CliWording.Apply(LoggingCommand.Neutralize(message)));

    /// <inheritdoc />
    public void RegisterSecret(string value)
    {
        // Nothing masks a terminal; the run never prints secrets in the first place.
    }

    /// <inheritdoc />
    public void SetOutput(string name, string value) =>
        output.WriteLine($"{Indent}{name} = {LoggingCommand.OneLine(value)}");

    /// <inheritdoc />
    public void UploadSummary(string markdown)
    {
        // The terminal already shows every line the summary would repeat.
    }

    /// <inheritdoc />
    public void Complete(RunOutcome outcome, string message) =>
        output.WriteLine($"{outcome}: {LoggingCommand.OneLine(message)}");

    private string Indent => _depth > 0 ? "  " : "";
}
