using k8s;
using YamlDotNet.Core;

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
            throw Unusable(file, ex.Message);
        }
        catch (YamlException ex)
        {
            throw Unusable(file, $"it is not valid YAML ({ex.Message})");
        }
        catch (InvalidCastException)
        {
            // The YAML loader's answer to a file that parses but is not a mapping (a plain word, say).
            throw Unusable(file, "it is not a kubeconfig (no clusters, users and contexts)");
        }
    }

    private static KubernetesRequestException Unusable(string file, string why) =>
        new($"use the kubeconfig {file}", 0, "InvalidKubeconfig",
            $"{why}. Point the input 'kubeconfig' (or KUBECONFIG) at a kubeconfig for the cluster.");

    // Known shortcoming: KUBECONFIG with several files uses the first that exists instead of merging them as
    // kubectl does; KubernetesClient.Aot exposes no public merge. A merge of our own would fix it.
    private static string ResolveFile(string? path, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(path))
        {
            return path;
        }

        var variable = environment("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            // Like kubectl, a KUBECONFIG that is set is the whole answer: never fall back to ~/.kube/config,
            // which may be another cluster.
            const StringSplitOptions options = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
            return variable.Split(Path.PathSeparator, options).FirstOrDefault(File.Exists)
                ?? throw new KubernetesRequestException("find a kubeconfig", 0, "NoKubeconfig",
                    $"KUBECONFIG is '{variable}', and no file it names exists. Fix KUBECONFIG or set the input "
                    + "'kubeconfig' to the path of a kubeconfig for the cluster.");
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
