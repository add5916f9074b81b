using System.Text;
using Azure.Core;
using k8s;
using k8s.KubeConfigModels;

namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// Builds a Kubernetes client from what a run has to reach the cluster: a kubeconfig (a file, or the text a service
/// connection or AKS gives) or a server with a token. TLS is verified against the CA given with it and that CA only
/// (<see cref="ClusterCertificateTrust"/>), the machine's trust store only when no CA is given (as kubectl); only an
/// explicit insecure-skip-tls-verify turns verification off, with a warning.
/// </summary>
internal static class ClusterConnection
{
    /// <summary>The scope of tokens for the AKS Entra ID server application (the same in every cloud).</summary>
    public const string AksServerScope = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

    /// <summary>Resolves the kubeconfig (the path, else KUBECONFIG, else ~/.kube/config) and builds a client.</summary>
    public static ClusterClient FromKubeconfigFile(
        string? path,
        string? context,
        Func<string, string?> environment,
        Action<string> warn)
    {
        var file = ResolveFile(path, environment);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (IOException ex)
        {
            throw new KubernetesRequestException("read kubeconfig " + file, 0, "InvalidKubeconfig", ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new KubernetesRequestException("read kubeconfig " + file, 0, "InvalidKubeconfig", ex.Message);
        }

        return FromKubeconfigText(text, context, "kubeconfig " + file, warn);
    }

    /// <summary>
    /// Builds a client for a kubeconfig's context (<paramref name="context"/>, else its current-context). When
    /// <paramref name="aksCredential"/> is given and the user signs in through the kubelogin exec plugin (an Entra ID
    /// AKS cluster), the client sends that credential's tokens for the AKS server application instead.
    /// </summary>
    public static ClusterClient FromKubeconfigText(
        string yaml,
        string? context,
        string source,
        Action<string> warn,
        TokenCredential? aksCredential = null)
    {
        K8SConfiguration kubeconfig;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(yaml));
            kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(stream);
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            throw Invalid(source, $"it is not a valid kubeconfig ({ex.Message}).");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw Invalid(source, $"it is not valid YAML ({ex.Message}).");
        }
        catch (InvalidCastException)
        {
            // The YAML loader's answer to text that parses but is not a mapping (a plain word, say).
            throw Invalid(source, "it is not a kubeconfig (no clusters, users and contexts).");
        }

        var contexts = kubeconfig.Contexts?.ToList() ?? [];
        var contextName = string.IsNullOrWhiteSpace(context) ? kubeconfig.CurrentContext : context.Trim();
        if (string.IsNullOrEmpty(contextName))
        {
            throw Invalid(source, "it has no current-context and no context was chosen. Name one of its contexts ("
                + Names(contexts.Select(c => c.Name)) + ") in the kubeconfig context input.");
        }

        var selected = contexts.FirstOrDefault(c => c.Name == contextName)
            ?? throw Invalid(source, $"it has no context '{contextName}'. Its contexts: "
                + Names(contexts.Select(c => c.Name)) + ".");
        var cluster = kubeconfig.Clusters?.FirstOrDefault(c => c.Name == selected.ContextDetails?.Cluster)
            ?? throw Invalid(source, $"context '{contextName}' names cluster '{selected.ContextDetails?.Cluster}', "
                + "which the kubeconfig does not define.");
        if (cluster.ClusterEndpoint?.SkipTlsVerify == true)
        {
            warn($"TLS verification of {cluster.ClusterEndpoint.Server} is off because the {source} sets "
                + "insecure-skip-tls-verify for cluster '" + cluster.Name + "'. Give the cluster's CA "
                + "(certificate-authority-data) instead.");
        }

        var user = kubeconfig.Users?.FirstOrDefault(u => u.Name == selected.ContextDetails?.User);
        if (aksCredential is not null && IsKubelogin(user))
        {
            return FromServer(cluster, new AzureTokenProvider(aksCredential, AksServerScope), source);
        }

        try
        {
            var settings = KubernetesClientConfiguration.BuildConfigFromConfigObject(kubeconfig, contextName);
            settings.HttpClientTimeout = RequestTimeout.PerAttempt;
            return new ClusterClient(Connect(settings));
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            throw Invalid(source, ex.Message);
        }
    }

    /// <summary>A server with a bearer token and, normally, the CA to verify it by.</summary>
    public static ClusterClient FromToken(
        Uri server,
        string token,
        string? certificateAuthorityPem,
        bool skipTlsVerify,
        string source,
        Action<string> warn)
    {
        if (skipTlsVerify)
        {
            warn($"TLS verification of {server} is off because the {source} accepts untrusted certificates. "
                + "Give the cluster's CA certificate instead.");
        }

        var settings = new KubernetesClientConfiguration
        {
            Host = server.ToString(),
            AccessToken = token,
            SkipTlsVerify = skipTlsVerify,
            SslCaCerts = string.IsNullOrWhiteSpace(certificateAuthorityPem)
                ? null
                : LoadCa(certificateAuthorityPem, source),
            HttpClientTimeout = RequestTimeout.PerAttempt,
        };
        return new ClusterClient(Connect(settings));
    }

    /// <summary>The credentials a kubeconfig holds (user tokens, client keys), to be masked.</summary>
    public static IEnumerable<string> SecretsIn(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return [];
        }

        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(yaml));
            var kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(stream);
            return (kubeconfig.Users ?? [])
                .SelectMany(u => new[] { u.UserCredentials?.Token, u.UserCredentials?.ClientKeyData,
                    u.UserCredentials?.Password })
                .Where(v => !string.IsNullOrEmpty(v))
                .Select(v => v!)
                .ToList();
        }
        catch (k8s.Exceptions.KubeConfigException)
        {
            // Not loadable: the run reports it when it connects, and nothing in it is printed.
            return [];
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return [];
        }
        catch (InvalidCastException)
        {
            return [];
        }
    }

    private static ClusterClient FromServer(Cluster cluster, k8s.Authentication.ITokenProvider tokens, string source)
    {
        var endpoint = cluster.ClusterEndpoint;
        if (string.IsNullOrEmpty(endpoint?.Server))
        {
            throw Invalid(source, $"cluster '{cluster.Name}' has no server.");
        }

        var ca = endpoint.CertificateAuthorityData is { Length: > 0 } data
            ? LoadCa(Encoding.UTF8.GetString(Convert.FromBase64String(data)), source)
            : null;
        var settings = new KubernetesClientConfiguration
        {
            Host = endpoint.Server,
            TokenProvider = tokens,
            SkipTlsVerify = endpoint.SkipTlsVerify,
            SslCaCerts = ca,
            HttpClientTimeout = RequestTimeout.PerAttempt,
        };
        return new ClusterClient(Connect(settings));
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2Collection LoadCa(
        string pem,
        string source)
    {
        var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw Invalid(source, $"its CA certificate cannot be read ({ex.Message}).");
        }

        return certificates.Count > 0
            ? certificates
            : throw Invalid(source, "its CA certificate holds no PEM certificate.");
    }

    private static k8s.Kubernetes Connect(KubernetesClientConfiguration settings) =>
        new(ClusterCertificateTrust.PinCertificateAuthority(settings));

    private static bool IsKubelogin(User? user) =>
        user?.UserCredentials?.ExternalExecution?.Command is { } command
        && Path.GetFileNameWithoutExtension(command).Equals("kubelogin", StringComparison.OrdinalIgnoreCase);

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Where(n => !string.IsNullOrEmpty(n)).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list.Select(n => $"'{n}'"));
    }

    private static KubernetesRequestException Invalid(string source, string reason) =>
        new("load " + source, 0, "InvalidKubeconfig", $"the {source} cannot be used: {reason}");

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
