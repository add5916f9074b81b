namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// Reports through Azure Pipelines logging commands, the way the agent parses them. Summaries are written as
/// files into <paramref name="summaryDirectory"/> (the agent's temp folder, cleaned after the job).
/// </summary>
internal sealed class PipelineReporter(TextWriter output, bool debugEnabled, string? summaryDirectory = null)
    : IReporter
{
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly Lock _secretsGate = new();

    /// <inheritdoc />
    public void BeginGroup(string title) => output.WriteLine("##[group]" + LoggingCommand.OneLine(title));

    /// <inheritdoc />
    public void EndGroup() => output.WriteLine("##[endgroup]");

    /// <inheritdoc />
    public void Info(string message)
    {
        foreach (var line in LoggingCommand.Neutralize(message).ReplaceLineEndings("\n").Split('\n'))
        {
            // A line that starts with "##[" would be taken as a formatting command.
            output.WriteLine(line.StartsWith("##[", StringComparison.Ordinal) ? " " + line : line);
        }
    }

    /// <inheritdoc />
    public void Debug(string message)
    {
        if (debugEnabled)
        {
            output.WriteLine("##[debug]" + LoggingCommand.OneLine(message));
        }
    }

    /// <inheritdoc />
    public void Warning(string message) => LogIssue("warning", message);

    /// <inheritdoc />
    public void Error(string message) => LogIssue("error", message);

    /// <inheritdoc />
    public void RegisterSecret(string value)
    {
        // Credentials register the tokens they fetch, possibly from several requests at once.
        lock (_secretsGate)
        {
            if (!string.IsNullOrEmpty(value) && _secrets.Add(value))
            {
                output.WriteLine(LoggingCommand.Format("task.setsecret", [], value));
            }
        }
    }

    /// <inheritdoc />
    public void SetOutput(string name, string value) =>
        output.WriteLine(LoggingCommand.Format("task.setvariable", [new("variable", name)], value));

    /// <inheritdoc />
    public void UploadSummary(string markdown)
    {
        var path = Path.Combine(summaryDirectory ?? Path.GetTempPath(),
            $"configure-workload-identity-{Guid.NewGuid():N}.md");
        try
        {
            File.WriteAllText(path, markdown);
        }
        catch (IOException ex)
        {
            // The summary is a convenience; the log already says everything it would.
            Warning($"The job summary could not be written to {path}: {ex.Message}");
            return;
        }
        catch (UnauthorizedAccessException ex)
        {
            Warning($"The job summary could not be written to {path}: {ex.Message}");
            return;
        }

        output.WriteLine(LoggingCommand.Format("task.uploadsummary", [], path));
    }

    /// <inheritdoc />
    public void Complete(RunOutcome outcome, string message)
    {
        output.WriteLine(LoggingCommand.Format("task.complete", [new("result", outcome.ToString())], message));
        output.Flush();
    }

    private void LogIssue(string type, string message) =>
        output.WriteLine(LoggingCommand.Format("task.logissue", [new("type", type)], message));
}
