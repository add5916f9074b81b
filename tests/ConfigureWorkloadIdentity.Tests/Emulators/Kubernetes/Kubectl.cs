using System.Diagnostics;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>
/// Runs the machine's real kubectl as an independent client. The Google Cloud SDK's kubectl is a dispatcher
/// that asks /version first; the per-minor binary next to it is called directly when it is there.
/// </summary>
internal static class Kubectl
{
    private static readonly Lazy<string?> Binary = new(Resolve);

    /// <summary>The kubectl binary to run, or null when the machine has none.</summary>
    public static string? Path => Binary.Value;

    public static async Task<KubectlResult> RunAsync(
        string kubeconfig, string cacheDirectory, string? standardInput, params string[] arguments)
    {
        var path = Path ?? throw new InvalidOperationException(
            "kubectl is not on PATH; these tests need the real kubectl as an independent client.");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(cacheDirectory);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep the developer's own kubeconfig and caches out of it.
        start.Environment.Remove("KUBECONFIG");
        start.Environment["HOME"] = cacheDirectory;

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
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

        return new KubectlResult(process.ExitCode, await output, await error);
    }

    private static string? Resolve()
    {
        var name = OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl";
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
        if (onPath is null)
        {
            return null;
        }

        var real = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
        var perMinor = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(real)!, "kubectl.1.32");
        return File.Exists(perMinor) ? perMinor : onPath;
    }
}
