using System.Text;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// A Kubernetes service connection as the agent passes it: the kubeconfig kind (YAML and a context), or the service
/// account and Azure subscription kinds (server URL, base64 token, base64 CA PEM). The latter carry no contexts, so
/// the client is configured directly rather than through a kubeconfig.
/// </summary>
internal sealed record KubernetesServiceConnection(string Id, string Kind)
{
    /// <summary>The kubeconfig YAML (kubeconfig kind).</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The context to use (kubeconfig kind), or null for the kubeconfig's current-context.</summary>
    public string? Context { get; init; }

    /// <summary>The API server (token kinds).</summary>
    public Uri? Server { get; init; }

    /// <summary>The bearer token, decoded (token kinds).</summary>
    public string? Token { get; init; }

    /// <summary>The cluster CA, PEM (token kinds).</summary>
    public string? CertificateAuthorityPem { get; init; }

    /// <summary>Whether the connection accepts untrusted certificates (acceptUntrustedCerts).</summary>
    public bool AcceptUntrustedCertificates { get; init; }

    /// <summary>Values to mask: the decoded token and the credentials inside a kubeconfig.</summary>
    public IEnumerable<string> Secrets =>
        Token is { Length: > 0 } token ? [token] : ClusterConnection.SecretsIn(Kubeconfig);

    /// <summary>Reads the connection; every problem is an input error naming it.</summary>
    public static KubernetesServiceConnection Read(AgentEnvironment environment, string id, List<InputError> errors)
    {
        const string input = InputNames.KubernetesServiceConnection;
        var scheme = environment.EndpointScheme(id);
        if (scheme is null)
        {
            errors.Add(new InputError(input,
                $"Service connection {id} (input '{input}') was not passed to the task: no ENDPOINT_AUTH_SCHEME_{id} "
                + "variable. Check that the connection exists and that this pipeline is authorized to use it."));
            return new KubernetesServiceConnection(id, "");
        }

        var kind = environment.EndpointData(id, "authorizationType")
            ?? environment.EndpointAuthParameter(id, "authorizationType")
            ?? (scheme.Equals("Token", StringComparison.OrdinalIgnoreCase) ? "ServiceAccount" : "Kubeconfig");
        var untrusted = string.Equals(
            environment.EndpointData(id, "acceptUntrustedCerts")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        if (kind.Equals("Kubeconfig", StringComparison.OrdinalIgnoreCase))
        {
            var yaml = environment.EndpointAuthParameter(id, "kubeconfig");
            if (string.IsNullOrWhiteSpace(yaml))
            {
                errors.Add(new InputError(input,
                    $"Kubernetes service connection {id} (kubeconfig kind) has no kubeconfig. Edit the connection "
                    + "and paste the cluster's kubeconfig."));
            }

            return new KubernetesServiceConnection(id, "Kubeconfig")
            {
                Kubeconfig = yaml,
                Context = NullIfBlank(environment.EndpointAuthParameter(id, "clusterContext")),
                AcceptUntrustedCertificates = untrusted,
            };
        }

        if (kind.Equals("ServiceAccount", StringComparison.OrdinalIgnoreCase)
            || kind.Equals("AzureSubscription", StringComparison.OrdinalIgnoreCase))
        {
            var url = environment.EndpointUrl(id);
            Uri? server = null;
            if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out server) || server.Scheme != Uri.UriSchemeHttps)
            {
                errors.Add(new InputError(input,
                    $"Kubernetes service connection {id} ({kind} kind) has no https server URL "
                    + $"('{RequestReader.Echo(url ?? "")}'). Edit the connection and give the API server's URL."));
            }

            var token = Decode(environment.EndpointAuthParameter(id, "apiToken"));
            if (string.IsNullOrEmpty(token))
            {
                errors.Add(new InputError(input,
                    $"Kubernetes service connection {id} ({kind} kind) has no usable token: 'apiToken' is missing or "
                    + "not base64. Edit the connection and give the ServiceAccount's secret."));
            }

            var ca = Decode(environment.EndpointAuthParameter(id, "serviceAccountCertificate"));
            return new KubernetesServiceConnection(id, kind)
            {
                Server = server,
                Token = token,
                CertificateAuthorityPem = ca,
                AcceptUntrustedCertificates = untrusted,
            };
        }

        errors.Add(new InputError(input,
            $"Kubernetes service connection {id} is of the kind '{RequestReader.Echo(kind)}', which this task does not "
            + "support. Supported: Kubeconfig, ServiceAccount, AzureSubscription."));
        return new KubernetesServiceConnection(id, kind);
    }

    /// <summary>Builds the client; warnings (TLS checks off) go to <paramref name="warn"/>.</summary>
    public ClusterClient Connect(Action<string> warn)
    {
        var source = $"Kubernetes service connection {Id}";
        if (Kubeconfig is not null)
        {
            if (AcceptUntrustedCertificates)
            {
                warn($"The {source} accepts untrusted certificates; this task still verifies TLS unless the "
                    + "kubeconfig itself sets insecure-skip-tls-verify.");
            }

            return ClusterConnection.FromKubeconfigText(Kubeconfig, Context, source, warn);
        }

        return ClusterConnection.FromToken(
            Server!, Token!, CertificateAuthorityPem, AcceptUntrustedCertificates, source, warn);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // The connection stores these base64-encoded (kubernetes-common decodes them); a raw PEM is taken as is.
    private static string? Decode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var buffer = new byte[trimmed.Length];
        return Convert.TryFromBase64String(trimmed, buffer, out var written)
            ? Encoding.UTF8.GetString(buffer, 0, written).Trim()
            : null;
    }
}
