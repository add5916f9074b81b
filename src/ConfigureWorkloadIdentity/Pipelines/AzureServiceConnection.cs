using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// The Azure Resource Manager service connection as the agent hands it to the task, read from ENDPOINT_*
/// variables, with every scheme the connection dialog offers. Secrets stay in here until the credential is built;
/// <see cref="Secrets"/> lists what must be masked before anything is printed.
/// </summary>
internal sealed record AzureServiceConnection(
    string Id,
    string Scheme,
    AzureAuthentication Authentication,
    string TenantId,
    string ClientId,
    string SubscriptionId,
    AzureCloud Cloud)
{
    private const string Supported =
        "ServicePrincipal (authenticationType spnKey or spnCertificate), WorkloadIdentityFederation, "
        + "ManagedServiceIdentity";

    /// <summary>The client secret (<see cref="AzureAuthentication.ClientSecret"/>).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The PEM with certificate and key (<see cref="AzureAuthentication.ClientCertificate"/>).</summary>
    public string? CertificatePem { get; init; }

    /// <summary>The job access token (SystemVssConnection), for the OIDC request of a federated connection.</summary>
    public string? SystemAccessToken { get; init; }

    /// <summary>
    /// Where to request the job's OIDC token when SYSTEM_OIDCREQUESTURI is not set (older servers): built from the
    /// collection, project, hub, plan and job. Null when the variable is set, so Azure.Identity reads it itself.
    /// </summary>
    public Uri? OidcTokenUri { get; init; }

    /// <summary>The user-assigned identity's client id for a managed identity connection; null for system.</summary>
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>The values to register as secrets: the client secret, the key's lines, the job token.</summary>
    public IEnumerable<string> Secrets
    {
        get
        {
            if (!string.IsNullOrEmpty(ClientSecret))
            {
                yield return ClientSecret;
            }

            if (!string.IsNullOrEmpty(SystemAccessToken))
            {
                yield return SystemAccessToken;
            }

            foreach (var line in PrivateKeyLines(CertificatePem))
            {
                yield return line;
            }
        }
    }

    /// <summary>A line for the log: what signs in, never a secret.</summary>
    public string Describe() => Authentication switch
    {
        AzureAuthentication.ManagedIdentity => $"Service connection {Id}: {Scheme} (managed identity "
            + $"{ManagedIdentityClientId ?? "of the agent machine, system-assigned"}), subscription "
            + $"{SubscriptionId}, cloud {Cloud.Name}",
        _ => $"Service connection {Id}: {Scheme}{AuthenticationSuffix}, tenant {TenantId}, client {ClientId}, "
            + $"subscription {SubscriptionId}, cloud {Cloud.Name}",
    };

    private string AuthenticationSuffix => Authentication switch
    {
        AzureAuthentication.ClientSecret => " with a client secret",
        AzureAuthentication.ClientCertificate => " with a certificate",
        _ => "",
    };

    /// <summary>
    /// Reads the connection named by the azureSubscription input. Every problem is an input error naming the
    /// connection, what it lacks and what is supported.
    /// </summary>
    public static AzureServiceConnection Read(AgentEnvironment environment, List<InputError> errors)
    {
        const string input = InputNames.AzureSubscription;
        var raw = environment.Input(input)?.Trim() ?? "";
        if (!Guid.TryParse(raw, out var guid))
        {
            errors.Add(new InputError(input, raw.Length == 0
                ? $"Input '{input}' is required: choose an Azure Resource Manager service connection."
                : $"Input '{input}' ('{RequestReader.Echo(raw)}') is not a service connection id; the agent passes "
                  + "the connection's GUID. Choose the connection by name in the task's settings."));
            return Invalid;
        }

        // The agent names endpoint variables with the lower-case hyphenated GUID.
        var id = guid.ToString("D");
        var scheme = environment.EndpointScheme(id);
        if (scheme is null)
        {
            errors.Add(new InputError(input,
                $"Service connection {id} (input '{input}') was not passed to the task: no ENDPOINT_AUTH_SCHEME_{id} "
                + "variable. Check that the connection exists and that this pipeline is authorized to use it."));
            return Invalid;
        }

        string Required(string key, string what)
        {
            var value = environment.EndpointAuthParameter(id, key);
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new InputError(input,
                    $"Service connection {id} ({scheme}) has no '{key}' ({what}). Edit the service connection and "
                    + "fill it in."));
                return "";
            }

            return value.Trim();
        }

        AzureServiceConnection? connection = scheme.ToUpperInvariant() switch
        {
            "SERVICEPRINCIPAL" => ReadServicePrincipal(environment, id, scheme, Required, errors),
            "WORKLOADIDENTITYFEDERATION" => ReadFederation(environment, id, scheme, Required, errors),
            "MANAGEDSERVICEIDENTITY" => new AzureServiceConnection(
                id, scheme, AzureAuthentication.ManagedIdentity, TenantIdOf(environment, id), "", "", AzureCloud.Public)
            {
                ManagedIdentityClientId = NullIfBlank(environment.EndpointData(id, "msiclientId")),
            },
            _ => null,
        };
        if (connection is null)
        {
            errors.Add(new InputError(input,
                $"Service connection {id} uses the authentication scheme '{RequestReader.Echo(scheme)}', which this "
                + $"task does not support. Supported: {Supported}. Use a connection of one of these kinds."));
            return Invalid;
        }

        var subscriptionId = environment.EndpointData(id, "subscriptionId")?.Trim() ?? "";
        if (InputRules.SubscriptionId(subscriptionId) is { } reason)
        {
            errors.Add(new InputError(input, subscriptionId.Length == 0
                ? $"Service connection {id} has no subscription id; use a connection scoped to a subscription."
                : $"Service connection {id} subscription id ('{RequestReader.Echo(subscriptionId)}') {reason}"));
        }

        return connection with { SubscriptionId = subscriptionId, Cloud = ReadCloud(environment, id, errors) };
    }

    /// <summary>
    /// Builds the Azure.Identity credential. <paramref name="registerSecret"/> receives every OIDC token the
    /// credential fetches, before anything could print it. A transient failure of the OIDC request is tried again
    /// (<see cref="OidcRetry"/>), <paramref name="oidcRetryDelay"/> apart (2 s unless a test says otherwise).
    /// </summary>
    public TokenCredential CreateCredential(Action<string> registerSecret, TimeSpan? oidcRetryDelay = null) =>
        Authentication switch
    {
        AzureAuthentication.ClientSecret =>
            AzureCredentials.ServicePrincipalSecret(Cloud, TenantId, ClientId, ClientSecret!),
        AzureAuthentication.ClientCertificate =>
            AzureCredentials.ServicePrincipalCertificate(Cloud, TenantId, ClientId, LoadCertificate(CertificatePem!)),
        AzureAuthentication.WorkloadIdentityFederation => OidcTokenUri is null
            ? AzureCredentials.AzurePipelines(Cloud, TenantId, ClientId, Id, SystemAccessToken!, registerSecret,
                oidcRetryDelay ?? OidcRetry.Delay)
            : AzureCredentials.FederatedAssertion(
                Cloud,
                TenantId,
                ClientId,
                new OidcTokenClient(OidcTokenUri, Id, SystemAccessToken!, registerSecret,
                    oidcRetryDelay ?? OidcRetry.Delay).GetTokenAsync),
        AzureAuthentication.ManagedIdentity => AzureCredentials.ManagedIdentity(ManagedIdentityClientId),
        _ => throw new InvalidOperationException($"No credential for {Authentication}."),
    };

    private static AzureServiceConnection Invalid =>
        new("", "", AzureAuthentication.ClientSecret, "", "", "", AzureCloud.Public);

    private static AzureServiceConnection ReadServicePrincipal(
        AgentEnvironment environment,
        string id,
        string scheme,
        Func<string, string, string> required,
        List<InputError> errors)
    {
        var tenantId = required("tenantid", "the Entra tenant id");
        var clientId = required("serviceprincipalid", "the application (client) id");
        var authenticationType = environment.EndpointAuthParameter(id, "authenticationType")?.Trim();
        if (string.IsNullOrEmpty(authenticationType)
            || authenticationType.Equals("spnKey", StringComparison.OrdinalIgnoreCase))
        {
            return new AzureServiceConnection(
                id, scheme, AzureAuthentication.ClientSecret, tenantId, clientId, "", AzureCloud.Public)
            {
                ClientSecret = required("serviceprincipalkey", "the client secret"),
            };
        }

        if (authenticationType.Equals("spnCertificate", StringComparison.OrdinalIgnoreCase))
        {
            var pem = required("servicePrincipalCertificate", "the PEM certificate with its private key");
            if (pem.Length > 0 && CertificateProblem(pem) is { } problem)
            {
                errors.Add(new InputError(InputNames.AzureSubscription,
                    $"Service connection {id} has a 'servicePrincipalCertificate' that {problem} Give the PEM "
                    + "file with both the certificate and its unencrypted private key."));
            }

            return new AzureServiceConnection(
                id, scheme, AzureAuthentication.ClientCertificate, tenantId, clientId, "", AzureCloud.Public)
            {
                CertificatePem = pem,
            };
        }

        errors.Add(new InputError(InputNames.AzureSubscription,
            $"Service connection {id} authenticates with '{RequestReader.Echo(authenticationType)}', which this task "
            + "does not support. Supported: spnKey (a client secret) and spnCertificate (a PEM certificate)."));
        return new AzureServiceConnection(
            id, scheme, AzureAuthentication.ClientSecret, tenantId, clientId, "", AzureCloud.Public);
    }

    private static AzureServiceConnection ReadFederation(
        AgentEnvironment environment,
        string id,
        string scheme,
        Func<string, string, string> required,
        List<InputError> errors)
    {
        var tenantId = required("tenantid", "the Entra tenant id");
        var clientId = required("serviceprincipalid", "the application or managed identity (client) id");
        var token = environment.EndpointAuthParameter("SYSTEMVSSCONNECTION", "AccessToken");
        if (string.IsNullOrWhiteSpace(token))
        {
            errors.Add(new InputError(InputNames.AzureSubscription,
                $"Service connection {id} uses workload identity federation, which needs the job access token, but "
                + "ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN is not set. Run the task as a pipeline "
                + "step on an agent (the agent always passes it to Node tasks)."));
        }

        Uri? oidcUri = null;
        if (string.IsNullOrWhiteSpace(environment.Get("SYSTEM_OIDCREQUESTURI")))
        {
            oidcUri = OidcTokenClient.BuildUri(environment);
            if (oidcUri is null)
            {
                errors.Add(new InputError(InputNames.AzureSubscription,
                    $"Service connection {id} uses workload identity federation, but neither SYSTEM_OIDCREQUESTURI "
                    + "nor all of SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECTID, SYSTEM_HOSTTYPE, SYSTEM_PLANID and "
                    + "SYSTEM_JOBID are set, so the job's OIDC token cannot be requested. Run the task on an agent "
                    + "of version 3.232.1 or later."));
            }
        }

        return new AzureServiceConnection(
            id, scheme, AzureAuthentication.WorkloadIdentityFederation, tenantId, clientId, "", AzureCloud.Public)
        {
            SystemAccessToken = token?.Trim(),
            OidcTokenUri = oidcUri,
        };
    }

    private static string TenantIdOf(AgentEnvironment environment, string id) =>
        environment.EndpointAuthParameter(id, "tenantid")?.Trim() ?? "";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static X509Certificate2 LoadCertificate(string pem) =>
        // In memory only: the key never touches the disk (azure-arm-rest writes it to a temp file).
        X509Certificate2.CreateFromPem(pem, pem);

    private static string? CertificateProblem(string pem)
    {
        if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            return "holds no certificate (no '-----BEGIN CERTIFICATE-----' block).";
        }

        if (!PrivateKeyLines(pem).Any())
        {
            return "holds no private key (no '-----BEGIN PRIVATE KEY-----' or '-----BEGIN RSA PRIVATE KEY-----' "
                + "block).";
        }

        try
        {
            using var certificate = LoadCertificate(pem);
            return certificate.HasPrivateKey ? null : "has a private key that does not belong to its certificate.";
        }
        catch (CryptographicException ex)
        {
            return $"cannot be loaded ({ex.Message}).";
        }
        catch (ArgumentException ex)
        {
            return $"cannot be loaded ({ex.Message}).";
        }
    }

    /// <summary>The base64 lines of every private key block: each is masked, since a log shows one line each.</summary>
    private static IEnumerable<string> PrivateKeyLines(string? pem)
    {
        if (string.IsNullOrEmpty(pem))
        {
            yield break;
        }

        var inKey = false;
        foreach (var raw in pem.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("-----BEGIN", StringComparison.Ordinal))
            {
                inKey = line.Contains("PRIVATE KEY", StringComparison.Ordinal);
            }
            else if (line.StartsWith("-----END", StringComparison.Ordinal))
            {
                inKey = false;
            }
            else if (inKey && line.Length > 0 && !line.Contains(':', StringComparison.Ordinal))
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// The connection's cloud: the named environment's known endpoints, each replaced by what the connection
    /// itself carries (its URL, authority and ARM audience), so private and sovereign clouds work as configured.
    /// </summary>
    private static AzureCloud ReadCloud(AgentEnvironment environment, string id, List<InputError> errors)
    {
        var name = environment.EndpointData(id, "environment");
        var known = string.IsNullOrWhiteSpace(name) ? AzureCloud.Public : AzureCloud.Find(name.Trim());
        if (known is null)
        {
            errors.Add(new InputError(InputNames.AzureSubscription,
                $"Service connection {id} is for the Azure environment '{RequestReader.Echo(name!)}', which is not "
                + "supported. Supported: AzureCloud, AzureUSGovernment, AzureChinaCloud."));
            return AzureCloud.Public;
        }

        Uri Endpoint(string? value, Uri fallback, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return fallback;
            }

            if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            {
                return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            }

            errors.Add(new InputError(InputNames.AzureSubscription,
                $"Service connection {id} has an invalid {what} ('{RequestReader.Echo(value)}'); "
                + "it must be an https URL."));
            return fallback;
        }

        var armUrl = Endpoint(environment.EndpointUrl(id), known.ResourceManager, "Resource Manager URL");
        var authority = Endpoint(
            NullIfBlank(environment.EndpointData(id, "activeDirectoryAuthority"))
                ?? environment.EndpointData(id, "environmentAuthorityUrl"),
            known.AuthorityHost,
            "authority");
        var audience = environment.EndpointData(id, "activeDirectoryServiceEndpointResourceId");
        return known with
        {
            ResourceManager = armUrl,
            AuthorityHost = authority,
            ResourceManagerAudience = string.IsNullOrWhiteSpace(audience)
                ? known.ResourceManagerAudience
                : audience.Trim(),
        };
    }
}
