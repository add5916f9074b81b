namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// One step run through <see cref="AgentHarness"/>: the result the agent computes, what the task reported, the
/// raw and masked logs, and the agent folder it ran in. Disposing deletes that folder.
/// </summary>
public sealed class TaskRun : IDisposable
{
    private readonly AgentLayout _layout;

    internal TaskRun(
        AgentLayout layout,
        TaskLogProcessor log,
        IReadOnlyDictionary<string, string> environment,
        TaskRunOutcome outcome)
    {
        _layout = layout;
        Environment = environment;
        ExitCode = outcome.ExitCode;
        Result = outcome.Result;
        ResultMessage = outcome.ResultMessage;
        TimedOut = outcome.TimedOut;
        Canceled = outcome.Canceled;
        Duration = outcome.Duration;
        Stdout = outcome.Stdout;
        Stderr = outcome.Stderr;
        Lines = log.Lines;
        MaskedLog = string.Join('\n', log.MaskedLog);
        Commands = log.Commands;
        Issues = log.Issues;
        CommandFailures = log.CommandFailures;
        OutputVariables = log.Variables;
        RegisteredSecrets = log.RegisteredSecrets;
        Attachments = log.Attachments;
        Summaries = [.. log.Attachments.Where(a => a.Type == TaskAttachment.SummaryType)];
        PrependedPaths = log.PrependedPaths;
    }

    /// <summary>The exit code of node (the agent requires 0; 137 after a kill).</summary>
    public int ExitCode { get; }

    /// <summary>The step result as the agent computes it.</summary>
    public TaskResult Result { get; }

    /// <summary>The last <c>task.complete</c> message, or the agent's reason when it decided the result.</summary>
    public string? ResultMessage { get; }

    /// <summary>The step ran past <see cref="AgentJob.Timeout"/> (it then fails).</summary>
    public bool TimedOut { get; }

    /// <summary>The caller canceled the step.</summary>
    public bool Canceled { get; }

    /// <summary>From start of node to its exit.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Standard output, lines joined with '\n'.</summary>
    public string Stdout { get; }

    /// <summary>Standard error, lines joined with '\n'.</summary>
    public string Stderr { get; }

    /// <summary>Every line of both streams, in arrival order, unmasked.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>
    /// The log as the agent would show it: secrets replaced with <c>***</c> from the moment the agent knew them
    /// (secret variables, endpoint secrets, <c>task.setsecret</c>); commands shown as the agent shows them.
    /// </summary>
    public string MaskedLog { get; }

    /// <summary>Every logging command parsed, in order.</summary>
    public IReadOnlyList<LoggingCommand> Commands { get; }

    /// <summary>Timeline issues (task and agent), messages masked.</summary>
    public IReadOnlyList<TaskIssue> Issues { get; }

    /// <summary>Errors among <see cref="Issues"/>.</summary>
    public IEnumerable<TaskIssue> Errors => Issues.Where(i => i.Type == TaskIssueType.Error);

    /// <summary>Warnings among <see cref="Issues"/>.</summary>
    public IEnumerable<TaskIssue> Warnings => Issues.Where(i => i.Type == TaskIssueType.Warning);

    /// <summary>Commands the agent rejected (each fails the step).</summary>
    public IReadOnlyList<CommandFailure> CommandFailures { get; }

    /// <summary>Variables the task set, in their final state; see <see cref="TaskVariable.IsOutput"/>.</summary>
    public IReadOnlyList<TaskVariable> OutputVariables { get; }

    /// <summary>Values the task registered as secrets.</summary>
    public IReadOnlyList<string> RegisteredSecrets { get; }

    /// <summary>Summaries, attachments and uploaded files, with their content.</summary>
    public IReadOnlyList<TaskAttachment> Attachments { get; }

    /// <summary>The uploaded summaries.</summary>
    public IReadOnlyList<TaskAttachment> Summaries { get; }

    /// <summary>Directories the task prepended to PATH for later steps.</summary>
    public IReadOnlyList<string> PrependedPaths { get; }

    /// <summary>The environment node was started with.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The agent work folder (<c>_work</c>, Agent.WorkFolder).</summary>
    public string WorkFolder => _layout.WorkFolder;

    /// <summary>Agent.TempDirectory.</summary>
    public string TempDirectory => _layout.TempDirectory;

    /// <summary>System.DefaultWorkingDirectory, also the working directory of node.</summary>
    public string SourcesDirectory => _layout.SourcesDirectory;

    /// <summary>The fresh HOME the step ran with.</summary>
    public string HomeDirectory => _layout.HomeDirectory;

    /// <summary>Where the task was installed, <c>_work/_tasks/&lt;name&gt;_&lt;id&gt;/&lt;version&gt;</c>.</summary>
    public string TaskDirectory => _layout.TaskDirectory;

    /// <summary>The value of a variable the task set, or null.</summary>
    public string? GetVariable(string name) =>
        OutputVariables.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>
    /// Every file left in the work folder (outside the installed task) and in HOME, as full paths: where key
    /// material must not remain.
    /// </summary>
    public IReadOnlyList<string> ListFilesLeftBehind()
    {
        var roots = new[] { _layout.WorkFolder, _layout.HomeDirectory }.Where(Directory.Exists);
        string tasks = _layout.TasksFolder + Path.DirectorySeparatorChar;
        return [.. roots
            .SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            .Where(file => !file.StartsWith(tasks, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(_layout.Root))
        {
            Directory.Delete(_layout.Root, recursive: true);
        }
    }
}
