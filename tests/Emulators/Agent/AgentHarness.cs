using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// Runs the task the way the Azure Pipelines agent's Node handler does: installs it into a fresh agent work folder
/// (executable bits lost, as after zip extraction), builds the handler's environment, starts
/// <c>node &lt;task&gt;/&lt;target&gt;</c>, reads both streams for logging commands and computes the step result.
/// </summary>
public sealed class AgentHarness
{
    /// <summary>Creates a harness.</summary>
    /// <param name="taskFolder">The task source folder, holding task.json and the shim.</param>
    /// <param name="binaryFolder">
    /// What goes to <c>bin/&lt;rid&gt;/</c>: a folder (e.g. a framework-dependent build output with the apphost
    /// <c>ConfigureWorkloadIdentity</c>) or a single published executable.
    /// </param>
    /// <param name="rid">The bin folder's runtime identifier; by default this machine's, e.g. linux-x64.</param>
    public AgentHarness(string taskFolder, string binaryFolder, string? rid = null)
    {
        TaskFolder = Path.GetFullPath(taskFolder);
        BinaryFolder = Path.GetFullPath(binaryFolder);
        Rid = rid ?? CurrentRid;
        if (!File.Exists(Path.Combine(TaskFolder, "task.json")))
        {
            throw new ArgumentException($"{TaskFolder} holds no task.json.", nameof(taskFolder));
        }

        if (!Directory.Exists(BinaryFolder) && !File.Exists(BinaryFolder))
        {
            throw new ArgumentException($"{BinaryFolder} does not exist.", nameof(binaryFolder));
        }
    }

    /// <summary>This machine's runtime identifier as the shim names it: linux|osx|win, then x64|arm64.</summary>
    public static string CurrentRid =>
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
        + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>The task source folder.</summary>
    public string TaskFolder { get; }

    /// <summary>The folder or file installed as <c>bin/&lt;rid&gt;/</c>.</summary>
    public string BinaryFolder { get; }

    /// <summary>The runtime identifier of the installed bin folder.</summary>
    public string Rid { get; }

    /// <summary>The node executable; by default the first <c>node</c> on PATH.</summary>
    public string NodePath { get; init; } = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node");

    /// <summary>How long a canceled step may take to exit after SIGINT before its process tree is killed.</summary>
    public TimeSpan CancellationGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs one step. Cancelling <paramref name="cancellationToken"/> cancels the step as the agent does (SIGINT,
    /// then a kill after <see cref="CancellationGracePeriod"/>) and yields a <see cref="TaskResult.Canceled"/> run.
    /// </summary>
    /// <exception cref="SecretLeakedException">
    /// A secret the agent masks, or one of <see cref="AgentJob.GuardedSecrets"/>, appears in the output, a summary
    /// or a file left in the agent's folders (unless <see cref="AgentJob.CheckSecrets"/> is false).
    /// </exception>
    public async Task<TaskRun> RunAsync(AgentJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var task = TaskDefinition.Load(Path.Combine(TaskFolder, "task.json"));
        var layout = AgentLayout.Create(task);
        bool handedOver = false;
        try
        {
            Install(layout);
            var environment = AgentEnvironment.Create(task, job, layout);
            var log = new TaskLogProcessor(task.OutputVariables, environment.Secrets, environment.SystemDebug);
            string script = Path.Combine(layout.TaskDirectory,
                task.Target.Replace("$(currentDirectory)", layout.TaskDirectory, StringComparison.Ordinal));
            var outcome = await ExecuteAsync(script, layout, environment.Variables, log, job, cancellationToken);
            var run = new TaskRun(layout, log, environment.Variables, outcome);
            if (job.CheckSecrets)
            {
                var leaks = SecretLeakCheck.FindLeaks(
                    run, [.. GuardedSecretsOf(job, environment), .. job.GuardedSecrets?.Invoke() ?? []]);
                if (leaks.Count > 0)
                {
                    throw new SecretLeakedException(
                        $"The step leaked a secret in {leaks.Count} place(s):\n  " + string.Join("\n  ", leaks))
                    {
                        Places = leaks,
                    };
                }
            }

            handedOver = true;
            return run;
        }
        finally
        {
            if (!handedOver)
            {
                Directory.Delete(layout.Root, recursive: true);
            }
        }
    }

    // What the agent masks from the start, but for identifiers among the authorization parameters: the agent masks
    // every parameter it does not know (the log then shows ***), yet a client id or a kubeconfig context name is
    // no secret and the task may show it.
    private static IEnumerable<string> GuardedSecretsOf(AgentJob job, AgentEnvironment environment)
    {
        string[] identifierParameters = ["serviceprincipalid", "clusterContext"];
        var identifiers = job.Endpoints
            .SelectMany(e => e.AuthParameters)
            .Where(p => identifierParameters.Contains(p.Key, StringComparer.OrdinalIgnoreCase))
            .Select(p => p.Value)
            .ToHashSet(StringComparer.Ordinal);
        return environment.Secrets.Where(s => !identifiers.Contains(s));
    }

    private void Install(AgentLayout layout)
    {
        // Everything but a bin folder the source may hold: the harness decides what bin/<rid> contains.
        CopyWithoutExecuteBits(TaskFolder, layout.TaskDirectory, skipTopLevelDirectory: "bin");
        string bin = Path.Combine(layout.TaskDirectory, "bin", Rid);
        if (File.Exists(BinaryFolder))
        {
            Directory.CreateDirectory(bin);
            CopyFileWithoutExecuteBits(BinaryFolder, Path.Combine(bin, Path.GetFileName(BinaryFolder)));
        }
        else
        {
            CopyWithoutExecuteBits(BinaryFolder, bin, skipTopLevelDirectory: null);
        }
    }

    private async Task<TaskRunOutcome> ExecuteAsync(
        string script,
        AgentLayout layout,
        IReadOnlyDictionary<string, string> environment,
        TaskLogProcessor log,
        AgentJob job,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(NodePath)
        {
            WorkingDirectory = layout.SourcesDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(script);
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {NodePath}.");
        process.StandardInput.Close();
        var gate = new Lock();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, stdout, log, gate, job.OnLine),
            PumpAsync(process.StandardError, stderr, log, gate, job.OnLine));

        bool canceled = false;
        bool timedOut = false;
        using (var timeout = new CancellationTokenSource(job.Timeout))
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                await process.WaitForExitAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                canceled = cancellationToken.IsCancellationRequested;
                timedOut = !canceled;
                await StopAsync(process);
            }
        }

        stopwatch.Stop();
        try
        {
            // A grandchild that outlives node may hold the pipes open; the agent does not wait for it forever either.
            await pumps.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            lock (gate)
            {
                log.AgentError("The output streams stayed open after node exited; the rest of the output is lost.");
            }
        }

        lock (gate)
        {
            var (result, message) = Conclude(process.ExitCode, canceled, timedOut, script, log);
            return new TaskRunOutcome(process.ExitCode, result, message, timedOut, canceled, stopwatch.Elapsed,
                stdout.ToString(), stderr.ToString());
        }
    }

    private (TaskResult Result, string? Message) Conclude(
        int exitCode,
        bool canceled,
        bool timedOut,
        string script,
        TaskLogProcessor log)
    {
        // StepsRunner: cancel and timeout set the result outright, a failed handler (non-zero exit) fails it,
        // then the command result is merged in; with nothing reported the step succeeded.
        TaskResult? result = log.CompletedResult;
        string? message = log.CompletedMessage;
        if (canceled)
        {
            log.AgentError("The operation was canceled.");
            result = TaskResult.Canceled;
            message ??= "The operation was canceled.";
        }
        else if (timedOut)
        {
            log.AgentError("The task has timed out.");
            result = TaskResult.Failed;
            message = "The task has timed out.";
        }
        else if (exitCode != 0)
        {
            message = $"Exit code {exitCode} returned from process: file name '{NodePath}', arguments '\"{script}\"'.";
            log.AgentError(message);
            result = TaskResult.Failed;
        }

        if (log.CommandFailures.Count > 0)
        {
            result = TaskResultMerger.Merge(result, TaskResult.Failed);
        }

        return (result ?? TaskResult.Succeeded, message);
    }

    private async Task StopAsync(Process process)
    {
        PosixSignal.TryInterrupt(process.Id);
        using var grace = new CancellationTokenSource(CancellationGracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task PumpAsync(
        StreamReader reader,
        StringBuilder sink,
        TaskLogProcessor log,
        Lock gate,
        Action<string>? onLine)
    {
        // ReadLine, as the agent's process invoker: a lone '\r' ends a line too.
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (gate)
            {
                sink.Append(line).Append('\n');
                log.ProcessLine(line);
            }

            onLine?.Invoke(line);
        }
    }

    private static void CopyWithoutExecuteBits(string source, string target, string? skipTopLevelDirectory)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            CopyFileWithoutExecuteBits(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.EnumerateDirectories(source))
        {
            string name = Path.GetFileName(directory);
            if (!string.Equals(name, skipTopLevelDirectory, StringComparison.OrdinalIgnoreCase))
            {
                CopyWithoutExecuteBits(directory, Path.Combine(target, name), skipTopLevelDirectory: null);
            }
        }
    }

    private static void CopyFileWithoutExecuteBits(string source, string target)
    {
        File.Copy(source, target);
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute
                | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(target, File.GetUnixFileMode(target) & ~execute);
        }
    }

    private static string FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, executable))
        .FirstOrDefault(File.Exists)
        ?? executable;
}
