using k8s;

namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// Builds a Kubernetes client from a kubeconfig: the given path, else KUBECONFIG, else ~/.kube/config.
/// </summary>
internal static class ClusterConnection
{
    /// <summary>Resolves the kubeconfig and builds a client for its current context.</summary>
    public static ClusterClient FromKubeconfig(string? path, Func<string, string?> environment)
    {
        var file = ResolveFile(path, environment);
        try
        {
            var settings = KubernetesClientConfiguration.BuildConfigFromConfigFile(file);
            return new ClusterClient(new k8s.Kubernetes(settings));
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            throw new KubernetesRequestException("load kubeconfig " + file, 0, "InvalidKubeconfig", ex.Message);
        }
    }

    // Known shortcoming: KUBECONFIG with several files uses the first that exists instead of merging them as
    // kubectl does; KubernetesClient.Aot exposes no public merge. A merge of our own would fix it.
    private static string ResolveFile(string? path, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(path))
        {
            return path;
        }

        var fromVariable = (environment("KUBECONFIG") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(File.Exists)
            .ToList();
        if (fromVariable.Count > 0)
        {
            return fromVariable[0];
        }

        var home = environment("HOME") ?? environment("USERPROFILE") ?? "";
        var defaultPath = Path.Combine(home, ".kube", "config");
        return File.Exists(defaultPath)
            ? defaultPath
            : throw new KubernetesRequestException(
                "find a kubeconfig", 0, "NoKubeconfig",
                "no kubeconfig was given and neither KUBECONFIG nor ~/.kube/config names one. "
                + "Set the input 'kubeconfig' to the path of a kubeconfig for the cluster.");
    }
}
