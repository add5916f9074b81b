using System.Diagnostics;

namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>The machine's real kubectl, as an independent client of the Kubernetes emulator.</summary>
public sealed class Kubectl(string kubeconfigPath, string cacheDirectory)
{
    /// <summary>Runs kubectl with the given arguments; returns exit code, stdout and stderr.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Concat(["--kubeconfig", kubeconfigPath, "--cache-dir", cacheDirectory]))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("kubectl could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// The per-minor kubectl next to Google's dispatcher when present (it skips the dispatcher's version probe),
    /// else kubectl from PATH.
    /// </summary>
    public static string Executable { get; } = Resolve();

    private static string Resolve()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "kubectl");
            if (!File.Exists(candidate))
            {
                continue;
            }

            var target = new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? candidate;
            var minor = Path.Combine(Path.GetDirectoryName(target)!, "kubectl.1.32");
            return File.Exists(minor) ? minor : candidate;
        }

        return "kubectl";
    }
}
