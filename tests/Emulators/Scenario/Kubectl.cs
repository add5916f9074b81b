using System.Diagnostics;

namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>
/// The machine's real kubectl, as an independent client of the Kubernetes emulator. The Google Cloud SDK's
/// kubectl is a dispatcher that asks /version first; the per-minor binary next to it is called directly when
/// it is there. The developer's own kubeconfig and caches are kept out.
/// </summary>
public sealed class Kubectl(string kubeconfigPath, string cacheDirectory)
{
    /// <summary>The kubectl binary to run, or null when the machine has none.</summary>
    public static string? Executable { get; } = Resolve();

    /// <summary>Runs kubectl with the given arguments (and standard input); returns exit code and output.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IEnumerable<string> arguments,
        CancellationToken cancellationToken = default,
        string? standardInput = null)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException(
            "kubectl is not on PATH; these tests need the real kubectl as an independent client."))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Concat(["--kubeconfig", kubeconfigPath, "--cache-dir", cacheDirectory]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("KUBECONFIG");
        start.Environment["HOME"] = cacheDirectory;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("kubectl could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), timeout.Token);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string? Resolve()
    {
        var name = OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl";
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        if (onPath is null)
        {
            return null;
        }

        var real = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        var perMinor = Path.Combine(Path.GetDirectoryName(real)!, "kubectl.1.32");
        return File.Exists(perMinor) ? perMinor : onPath;
    }
}
