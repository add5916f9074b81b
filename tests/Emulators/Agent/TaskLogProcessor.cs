namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// Reads a task's output lines the way the agent's worker does: finds and runs logging commands, records issues,
/// variables, secrets and attachments, and writes the log the agent would show, masked. Not thread-safe: feed it
/// one line at a time, in arrival order.
/// </summary>
public sealed class TaskLogProcessor
{
    private const string Docs = "http://go.microsoft.com/fwlink/?LinkId=817296";

    // Areas the agent has command extensions for; only "task" is modelled, the others are recorded as is.
    private static readonly HashSet<string> KnownAreas = new(StringComparer.OrdinalIgnoreCase)
    {
        "task", "artifact", "build", "release", "codecoverage", "results", "telemetry",
    };

    private readonly HashSet<string> _outputVariableNames;
    private readonly bool _systemDebug;
    private readonly SecretMasker _masker = new();
    private readonly List<string> _lines = [];
    private readonly List<string> _log = [];
    private readonly List<LoggingCommand> _commands = [];
    private readonly List<TaskIssue> _issues = [];
    private readonly List<CommandFailure> _failures = [];
    private readonly List<string> _secrets = [];
    private readonly List<TaskAttachment> _attachments = [];
    private readonly List<string> _prependedPaths = [];
    private readonly Dictionary<string, TaskVariable> _variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _variableOrder = [];

    /// <summary>Creates a processor.</summary>
    /// <param name="outputVariableNames">task.json <c>outputVariables</c> names; they count as outputs.</param>
    /// <param name="secrets">Values the agent masks from the start (secret variables, endpoint secrets).</param>
    /// <param name="systemDebug">System.Debug: whether <c>task.debug</c> and "Processed:" lines are logged.</param>
    public TaskLogProcessor(
        IEnumerable<string>? outputVariableNames = null,
        IEnumerable<string>? secrets = null,
        bool systemDebug = false)
    {
        _outputVariableNames = new(outputVariableNames ?? [], StringComparer.OrdinalIgnoreCase);
        _systemDebug = systemDebug;
        foreach (string secret in secrets ?? [])
        {
            _masker.Add(secret);
        }
    }

    /// <summary>Every line received, in order, unmasked.</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>The log as the agent would show it, masked with the secrets known when each line arrived.</summary>
    public IReadOnlyList<string> MaskedLog => _log;

    /// <summary>Every line that parsed as a logging command, in order.</summary>
    public IReadOnlyList<LoggingCommand> Commands => _commands;

    /// <summary>Timeline issues, from the task and from the agent.</summary>
    public IReadOnlyList<TaskIssue> Issues => _issues;

    /// <summary>Commands the agent rejected.</summary>
    public IReadOnlyList<CommandFailure> CommandFailures => _failures;

    /// <summary>Values registered as secrets by <c>task.setsecret</c> or <c>issecret=true</c>.</summary>
    public IReadOnlyList<string> RegisteredSecrets => _secrets;

    /// <summary>Variables set by <c>task.setvariable</c>, in first-set order, each in its final state.</summary>
    public IReadOnlyList<TaskVariable> Variables => [.. _variableOrder.Select(name => _variables[name])];

    /// <summary>Summaries, attachments and uploaded files.</summary>
    public IReadOnlyList<TaskAttachment> Attachments => _attachments;

    /// <summary>Directories given to <c>task.prependpath</c>.</summary>
    public IReadOnlyList<string> PrependedPaths => _prependedPaths;

    /// <summary>The merge of every <c>task.complete</c> result, or null if none arrived.</summary>
    public TaskResult? CompletedResult { get; private set; }

    /// <summary>The message of the last <c>task.complete</c>.</summary>
    public string? CompletedMessage { get; private set; }

    /// <summary>The last <c>task.setprogress</c> value, clamped to 0-100.</summary>
    public int? Progress { get; private set; }

    /// <summary>The result the task's commands lead to, before the exit code is considered.</summary>
    public TaskResult? CommandResult =>
        _failures.Count > 0 ? TaskResultMerger.Merge(CompletedResult, TaskResult.Failed) : CompletedResult;

    /// <summary>Masks a text with every secret known so far.</summary>
    public string Mask(string text) => _masker.Mask(text);

    /// <summary>Processes one output line.</summary>
    public void ProcessLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _lines.Add(line);
        if (!LoggingCommand.TryParse(line, out var command))
        {
            if (line.Contains("##vso", StringComparison.Ordinal))
            {
                AgentWarning($"A logging command keyword ##vso was detected but it is not a valid command: {line}");
            }

            Log(line);
            return;
        }

        _commands.Add(command);
        if (!KnownAreas.Contains(command.Area))
        {
            AgentWarning($"Can't find command extension for ##vso[{command.Area}.command]. See {Docs}");
            return;
        }

        if (string.Equals(command.Area, "task", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                RunTaskCommand(command);
            }
            catch (CommandRejectedException rejected)
            {
                _failures.Add(new CommandFailure(line, rejected.Message));
                AgentError($"Unable to process command '{line}' successfully. Please reference documentation ({Docs})");
                AgentError(rejected.Message);
            }
        }

        if (_systemDebug && !IsEvent(command, "debug"))
        {
            Log("##[debug]Processed: " + line);
        }
    }

    /// <summary>Adds an error the agent itself raises (e.g. a non-zero exit code or a timeout).</summary>
    public void AgentError(string message) => AddIssue(TaskIssueType.Error, message, raisedByAgent: true);

    private void AgentWarning(string message) => AddIssue(TaskIssueType.Warning, message, raisedByAgent: true);

    private void AddIssue(TaskIssueType type, string message, bool raisedByAgent)
    {
        string masked = _masker.Mask(message);
        _issues.Add(new TaskIssue(type, masked, raisedByAgent));
        Log((type == TaskIssueType.Error ? "##[error]" : "##[warning]") + masked);
    }

    private void Log(string line) => _log.Add(_masker.Mask(line));

    private static bool IsEvent(LoggingCommand command, string name) =>
        string.Equals(command.Event, name, StringComparison.OrdinalIgnoreCase);

    private void RunTaskCommand(LoggingCommand command)
    {
        switch (command.Event.ToLowerInvariant())
        {
            case "logissue" or "issue":
                LogIssue(command);
                break;
            case "complete":
                Complete(command);
                break;
            case "setvariable":
                SetVariable(command);
                break;
            case "setsecret":
                RegisterSecret(command.Data);
                break;
            case "setprogress":
                Progress = int.TryParse(Get(command, "value"), out int percent) ? Math.Clamp(percent, 0, 100) : 0;
                break;
            case "uploadsummary":
                Attach(command, TaskAttachment.SummaryType, name: null);
                break;
            case "addattachment":
                Attach(command, Require(command, "type"), Require(command, "name"));
                break;
            case "uploadfile":
                Attach(command, TaskAttachment.LogType, name: null);
                break;
            case "debug":
                if (_systemDebug)
                {
                    Log("##[debug]" + command.Data);
                }

                break;
            case "prependpath":
                _prependedPaths.Add(RequireData(command, "the directory"));
                break;
            case "setendpoint":
                SetEndpoint(command);
                break;
            case "logdetail":
                if (!Guid.TryParse(Get(command, "id"), out _))
                {
                    throw new CommandRejectedException("task.logdetail needs an id that is a GUID.");
                }

                break;
            case "settaskvariable":
                SetTaskVariable(command);
                break;
            default:
                throw new CommandRejectedException(
                    $"##vso[task.{command.Event}] is not a recognized command for Task command extension.");
        }
    }

    private void LogIssue(LoggingCommand command)
    {
        string? type = Get(command, "type");
        if (type is null)
        {
            AgentWarning("Can't create TaskIssue from logging event.");
            return;
        }

        TaskIssueType issueType = type.ToLowerInvariant() switch
        {
            "error" => TaskIssueType.Error,
            "warning" => TaskIssueType.Warning,
            _ => throw new CommandRejectedException($"Invalid issue type '{type}': use error or warning."),
        };
        AddIssue(issueType, command.Data, raisedByAgent: false);
    }

    private void Complete(LoggingCommand command)
    {
        string? text = Get(command, "result");

        // Enum.TryParse without ignoreCase, as the agent parses it: "Cancelled" or "failed" are rejected.
        if (string.IsNullOrEmpty(text) || !Enum.TryParse(text, out TaskResult result))
        {
            string names = string.Join(", ", Enum.GetNames<TaskResult>());
            throw new CommandRejectedException(
                $"Invalid or missing task.complete result '{text}': use one of {names}.");
        }

        // The agent would store an undefined number too; nothing sensible can come of it, so it is rejected.
        if (!Enum.IsDefined(result))
        {
            throw new CommandRejectedException($"task.complete result '{text}' is not a defined TaskResult.");
        }

        CompletedResult = TaskResultMerger.Merge(CompletedResult, result);
        CompletedMessage = command.Data;
        Progress = 100;
    }

    private void SetVariable(LoggingCommand command)
    {
        string name = Require(command, "variable");
        bool isSecret = command.IsTrue("issecret");
        string value = command.Data;
        if (isSecret && value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new CommandRejectedException($"The secret variable '{name}' has a multi-line value.");
        }

        if (_variables.TryGetValue(name, out var existing) && existing.IsReadOnly)
        {
            AgentWarning($"Can't update read-only variable '{name}'.");
            return;
        }

        if (isSecret)
        {
            RegisterSecret(value);
        }

        bool isOutput = command.IsTrue("isoutput") || _outputVariableNames.Contains(name);
        if (!_variables.ContainsKey(name))
        {
            _variableOrder.Add(name);
        }

        _variables[name] = new TaskVariable(name, value, isSecret, isOutput, command.IsTrue("isreadonly"));
    }

    private void SetTaskVariable(LoggingCommand command)
    {
        string name = Require(command, "variable");
        if (command.IsTrue("issecret"))
        {
            if (command.Data.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new CommandRejectedException($"The secret task variable '{name}' has a multi-line value.");
            }

            RegisterSecret(command.Data);
        }
    }

    private static void SetEndpoint(LoggingCommand command)
    {
        string id = Require(command, "id");
        string field = Require(command, "field");
        if (!Guid.TryParse(id, out _))
        {
            throw new CommandRejectedException($"task.setendpoint id '{id}' is not a GUID.");
        }

        switch (field.ToLowerInvariant())
        {
            case "authparameter" or "dataparameter":
                Require(command, "key");
                break;
            case "url":
                if (!Uri.TryCreate(command.Data, UriKind.Absolute, out _))
                {
                    throw new CommandRejectedException($"task.setendpoint url '{command.Data}' is not absolute.");
                }

                break;
            default:
                throw new CommandRejectedException($"task.setendpoint field '{field}' is not valid.");
        }
    }

    private void RegisterSecret(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        _masker.Add(value);
        if (!_secrets.Contains(value, StringComparer.Ordinal))
        {
            _secrets.Add(value);
        }
    }

    private void Attach(LoggingCommand command, string type, string? name)
    {
        string path = RequireData(command, "the file path");
        if (name is not null && name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new CommandRejectedException($"The attachment name '{name}' has invalid characters.");
        }

        if (type.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new CommandRejectedException($"The attachment type '{type}' has invalid characters.");
        }

        // The agent checks the path from its own working folder, never the task's, so a relative path fails.
        if (!Path.IsPathRooted(path) || !File.Exists(path))
        {
            throw new CommandRejectedException($"Cannot find the file '{path}' (a full path is needed).");
        }

        _attachments.Add(new TaskAttachment(type, name ?? Path.GetFileName(path), path, File.ReadAllText(path)));
    }

    private static string? Get(LoggingCommand command, string key) =>
        command.Properties.TryGetValue(key, out var value) ? value : null;

    private static string Require(LoggingCommand command, string key) =>
        Get(command, key) is { Length: > 0 } value
            ? value
            : throw new CommandRejectedException(
                $"Required field '{key}' is missing in ##vso[{command.Area}.{command.Event}] command.");

    private static string RequireData(LoggingCommand command, string what) =>
        string.IsNullOrWhiteSpace(command.Data)
            ? throw new CommandRejectedException($"##vso[task.{command.Event}] needs {what} as its message.")
            : command.Data;
}
