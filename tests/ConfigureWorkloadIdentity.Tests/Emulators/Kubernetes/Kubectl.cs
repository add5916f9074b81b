namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>The real kubectl (see <see cref="ConfigureWorkloadIdentity.Emulators.Scenario.Kubectl"/>).</summary>
internal static class Kubectl
{
    /// <summary>The kubectl binary to run, or null when the machine has none.</summary>
    public static string? Path => ConfigureWorkloadIdentity.Emulators.Scenario.Kubectl.Executable;

    public static async Task<KubectlResult> RunAsync(
        string kubeconfig, string cacheDirectory, string? standardInput, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await new ConfigureWorkloadIdentity.Emulators.Scenario.Kubectl(
            kubeconfig, cacheDirectory).RunAsync(arguments, standardInput: standardInput);
        return new KubectlResult(exitCode, stdout, stderr);
    }
}
