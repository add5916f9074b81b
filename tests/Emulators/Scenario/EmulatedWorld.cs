using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.AzureDevOps;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Kubernetes;

namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>
/// Emulated Entra ID, Resource Manager, Azure DevOps (job OIDC tokens) and Kubernetes API seeded with the reference
/// scenario, plus what a pipeline job needs to use them: the service connection of the chosen kind, a kubeconfig,
/// the CA to trust.
/// </summary>
public sealed class EmulatedWorld : IAsyncDisposable
{
    /// <summary>The Kubernetes user the kubeconfig signs in as.</summary>
    public const string KubernetesUser = "system:serviceaccount:pipelines:deployer";

    /// <summary>The service principal's object id in the emulated tenant.</summary>
    public const string ServicePrincipalObjectId = "5c1e55a0-7e21-4f4c-9a1b-2f0c6d3e8a11";

    /// <summary>The Kubernetes service connection's id.</summary>
    public static readonly Guid KubernetesConnectionId = new("9b2f4c1d-3e5a-4f60-8a7b-1c2d3e4f5a6b");

    /// <summary>The agent machine's system-assigned identity (managed identity connections).</summary>
    public const string MachineIdentityClientId = "7d3c9b1e-2a4f-4e6d-8c0b-5f1a3e7d9c20";

    // Key generation dominates a world's start; worlds in one process share their token signing keys.
    private static readonly Lazy<JwtSigner> AzureSigner = new(() => new JwtSigner("CN=Azure Emulator Token Signing"));
    private static readonly Lazy<JwtSigner> DevOpsSigner = new(() => new JwtSigner("CN=Azure DevOps OIDC Signing"));
    private static readonly Lazy<JwtSigner> ClusterIssuerSigner =
        new(() => new JwtSigner("CN=AKS Service Account Issuer"));

    private readonly string _folder;
    private readonly List<string> _jobTokens = [];

    private EmulatedWorld(ReferenceScenario scenario, WorldOptions options)
    {
        Scenario = scenario;
        Options = options;
        _folder = Directory.CreateTempSubdirectory("cwi-world-").FullName;
        Ca = new TestCertificateAuthority();
        ClusterCa = new TestCertificateAuthority();
        Clock = new EmulatorClock();
        Azure = new AzureEmulator(AzureSigner.Value, Clock);
        AzureDevOps = new AzureDevOpsEmulator(Clock, signer: DevOpsSigner.Value);
        Kubernetes = new KubernetesEmulator(ClusterCa);
        ClientSecret = "spn~" + RandomToken();
        if (options.Connection == ConnectionKind.SpnCertificate)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest(
                "CN=sc-pri-exampleapp-sbx", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var now = DateTimeOffset.UtcNow;
            using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
            ClientCertificate = X509CertificateLoader.LoadCertificate(certificate.RawData);
            CertificateKeyPem = key.ExportPkcs8PrivateKeyPem();
            CertificatePem = certificate.ExportCertificatePem() + "\n" + CertificateKeyPem + "\n";
        }
        KubernetesToken = "k8s-" + RandomToken();
        AdminToken = "k8s-admin-" + RandomToken();
        KubeconfigPath = Path.Combine(_folder, "kubeconfig");
        Kubectl = new Kubectl(KubeconfigPath, Path.Combine(_folder, "kubectl-cache"));
    }

    /// <summary>The scenario the world was seeded from.</summary>
    public ReferenceScenario Scenario { get; }

    /// <summary>The paths the world offers.</summary>
    public WorldOptions Options { get; }

    /// <summary>The clock every emulator issues and checks tokens by.</summary>
    public EmulatorClock Clock { get; }

    /// <summary>Azure DevOps: the job OIDC token endpoint.</summary>
    public AzureDevOpsEmulator AzureDevOps { get; }

    /// <summary>The connection's certificate (public part) for <see cref="ConnectionKind.SpnCertificate"/>.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>The certificate's private key, PKCS#8 PEM.</summary>
    public string? CertificateKeyPem { get; }

    /// <summary>The servicePrincipalCertificate parameter: certificate and key PEM.</summary>
    public string? CertificatePem { get; }

    /// <summary>The CA of Azure's and Azure DevOps' emulated endpoints, which the job trusts (SSL_CERT_FILE).</summary>
    public TestCertificateAuthority Ca { get; }

    /// <summary>
    /// The cluster's own CA, which signs the API server's certificate, as an AKS cluster CA does. Only the
    /// kubeconfigs and connections carry it; the job does not trust it otherwise.
    /// </summary>
    public TestCertificateAuthority ClusterCa { get; }

    /// <summary>Entra ID and Resource Manager.</summary>
    public AzureEmulator Azure { get; }

    /// <summary>The cluster's API server.</summary>
    public KubernetesEmulator Kubernetes { get; }

    /// <summary>The service connection's client secret.</summary>
    public string ClientSecret { get; }

    /// <summary>The bearer token in the kubeconfig.</summary>
    public string KubernetesToken { get; }

    /// <summary>The static token of the cluster's admin kubeconfig (local accounts).</summary>
    public string AdminToken { get; }

    /// <summary>
    /// The name the cluster knows the run's identity by: the kubeconfig's ServiceAccount, or on an Entra ID cluster
    /// the service connection principal's object id.
    /// </summary>
    public string ClusterUser => Options.EntraCluster ? ServicePrincipalObjectId : KubernetesUser;

    /// <summary>A kubeconfig for the emulated cluster.</summary>
    public string KubeconfigPath { get; }

    /// <summary>The real kubectl, pointed at the emulated cluster.</summary>
    public Kubectl Kubectl { get; }

    /// <summary>
    /// Every secret of the world that must never appear in any output, the ServiceAccount tokens the cluster
    /// issued for the task's verification among them.
    /// </summary>
    /// <remarks>
    /// The client secret, the Kubernetes token, every access token and OIDC token issued, every job access token,
    /// and the certificate's private key: whole and each of its lines, since a log would show it line by line.
    /// </remarks>
    public IReadOnlyList<string> Secrets =>
    [
        ClientSecret,
        KubernetesToken,
        AdminToken,
        .. Azure.State.IssuedTokens.Select(t => t.AccessToken),
        .. AzureDevOps.IssuedTokens.Select(t => t.Token),
        .. _jobTokens,
        .. KeyLines(CertificateKeyPem),
        .. Kubernetes.State.IssuedServiceAccountTokens,
    ];

    /// <summary>
    /// The Entra requests of the service connection's own sign-in: every token request except the task's
    /// verification, which exchanges a ServiceAccount token for the workload's identity (its client id).
    /// </summary>
    public IReadOnlyList<RecordedRequest> ConnectionTokenRequests =>
    [
        .. Azure.Requests.Where(r => (r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal)
                || r.Path == "/msi/token")
            && !r.Body.Contains($"client_id={Scenario.ClientId}&", StringComparison.Ordinal)),
    ];

    /// <summary>
    /// The requests the cluster's API server received from its clients: every Kubernetes request except Entra ID's
    /// fetches of the issuer's public discovery document and keys (addressed to the issuer's host).
    /// </summary>
    public IReadOnlyList<RecordedRequest> ApiServerRequests =>
    [
        .. Kubernetes.Requests.Where(r => !(r.Headers.TryGetValue("host", out var host)
            && string.Equals(host, new Uri(Scenario.IssuerUrl).Host, StringComparison.OrdinalIgnoreCase))),
    ];

    /// <summary>The access tokens the service connection got (not the verification's, for the workload).</summary>
    public IReadOnlyList<IssuedToken> ConnectionTokens =>
        [.. Azure.State.IssuedTokens.Where(t => !IsVerificationToken(t))];

    /// <summary>Starts the emulators and seeds them with <paramref name="scenario"/>.</summary>
    public static async Task<EmulatedWorld> StartAsync(
        ReferenceScenario? scenario = null,
        CancellationToken cancellationToken = default) =>
        await StartAsync(new WorldOptions(), scenario, cancellationToken);

    /// <summary>Starts the emulators for the given paths and seeds them with <paramref name="scenario"/>.</summary>
    public static async Task<EmulatedWorld> StartAsync(
        WorldOptions options,
        ReferenceScenario? scenario = null,
        CancellationToken cancellationToken = default)
    {
        var world = new EmulatedWorld(scenario ?? ReferenceScenario.Load(), options);
        try
        {
            await world.Azure.StartAsync(world.Ca, cancellationToken);
            await world.AzureDevOps.StartAsync(world.Ca, cancellationToken);
            await world.Kubernetes.StartAsync(cancellationToken);
            world.Seed();
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A pipeline job that runs the task on the scenario's binding through the service connection, with the
    /// emulators' CA trusted the standard way (SSL_CERT_FILE). <paramref name="inputs"/> may change inputs.
    /// </summary>
    public AgentJob CreateJob(Action<Dictionary<string, string>>? inputs = null)
    {
        var job = new AgentJob
        {
            Inputs =
            {
                ["clusterConnection"] = Options.ClusterAccess switch
                {
                    ClusterAccess.KubernetesServiceConnection => "kubernetesServiceConnection",
                    ClusterAccess.Kubeconfig => "kubeconfig",
                    _ => "azureResourceManager",
                },
                ["azureSubscription"] = Scenario.ServiceConnectionId.ToString(),
                ["resourceGroup"] = Scenario.IdentityResourceGroup,
                ["identityName"] = Scenario.IdentityName,
                ["issuerSource"] = "aksCluster",
                ["clusterResourceGroup"] = Scenario.ClusterResourceGroup,
                ["clusterName"] = Scenario.ClusterName,
                ["namespace"] = Scenario.Namespace,
                ["serviceAccountName"] = Scenario.ServiceAccountName,
                ["federatedCredentialName"] = Scenario.FederatedCredentialName,
            },
            Endpoints = { ServiceConnection() },
            Environment = { ["SSL_CERT_FILE"] = Ca.CaPemPath },
            CollectionUri = AzureDevOps.CollectionUri,
            GuardedSecrets = () => Secrets,
        };
        switch (Options.ClusterAccess)
        {
            case ClusterAccess.Kubeconfig:
                job.Inputs["kubeconfig"] = KubeconfigPath;
                break;
            case ClusterAccess.KubernetesServiceConnection:
                job.Inputs["kubernetesServiceConnection"] = KubernetesConnectionId.ToString();
                job.Endpoints.Add(KubernetesServiceConnection());
                break;
        }

        if (Options.Connection == ConnectionKind.ManagedIdentity)
        {
            // App Service style: Azure.Identity takes the managed identity endpoint from these variables.
            job.Environment["IDENTITY_ENDPOINT"] = Azure.ManagedIdentityUri.ToString();
            job.Environment["IDENTITY_HEADER"] = Azure.ManagedIdentityHeader;
        }

        lock (_jobTokens)
        {
            _jobTokens.Add(job.SystemAccessToken);
        }

        AzureDevOps.AddJobToken(job.SystemAccessToken);
        inputs?.Invoke(job.Inputs);
        return job;
    }

    /// <summary>The scenario's service connection of the world's kind, as the agent passes it.</summary>
    public ServiceEndpoint ServiceConnection()
    {
        var parameters = new Dictionary<string, string> { ["tenantid"] = Scenario.TenantId };
        var scheme = "ServicePrincipal";
        switch (Options.Connection)
        {
            case ConnectionKind.SpnSecret:
                parameters["serviceprincipalid"] = Scenario.ServicePrincipalId;
                parameters["authenticationType"] = "spnKey";
                parameters["serviceprincipalkey"] = ClientSecret;
                break;
            case ConnectionKind.SpnCertificate:
                parameters["serviceprincipalid"] = Scenario.ServicePrincipalId;
                parameters["authenticationType"] = "spnCertificate";
                parameters["servicePrincipalCertificate"] = CertificatePem!;
                break;
            case ConnectionKind.WorkloadIdentityFederation:
                scheme = "WorkloadIdentityFederation";
                parameters["serviceprincipalid"] = Scenario.ServicePrincipalId;
                break;
            case ConnectionKind.ManagedIdentity:
                scheme = "ManagedServiceIdentity";
                break;
        }

        var data = new Dictionary<string, string>
        {
            ["subscriptionId"] = Scenario.SubscriptionId,
            ["subscriptionName"] = "Spoke Sandbox",
            ["environment"] = Options.Cloud,
            ["scopeLevel"] = "Subscription",
            ["activeDirectoryAuthority"] = Azure.BaseUri.ToString(),
        };
        if (Options.Cloud == "AzureCloud")
        {
            data["activeDirectoryServiceEndpointResourceId"] = "https://management.core.windows.net/";
        }

        return new ServiceEndpoint(Scenario.ServiceConnectionId, Azure.BaseUri, scheme, parameters, data);
    }

    /// <summary>
    /// The Kubernetes service connection as the agent passes it: the service account kind (scheme Token, the
    /// server URL, the token and CA base64-encoded), or the kubeconfig kind with a context.
    /// </summary>
    public ServiceEndpoint KubernetesServiceConnection(bool kubeconfigKind = false) => kubeconfigKind
        ? new ServiceEndpoint(
            KubernetesConnectionId,
            Kubernetes.BaseUri,
            "Kubernetes",
            new Dictionary<string, string>
            {
                ["kubeconfig"] = File.ReadAllText(KubeconfigPath),
                ["clusterContext"] = "aks-pri-exampleapp-sbx",
            },
            new Dictionary<string, string> { ["authorizationType"] = "Kubeconfig", ["acceptUntrustedCerts"] = "false" })
        : new ServiceEndpoint(
            KubernetesConnectionId,
            Kubernetes.BaseUri,
            "Token",
            new Dictionary<string, string>
            {
                ["apiToken"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(KubernetesToken)),
                ["serviceAccountCertificate"] =
                    Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ClusterCa.CaPem)),
            },
            new Dictionary<string, string> { ["authorizationType"] = "ServiceAccount" });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Kubernetes.DisposeAsync();
        await AzureDevOps.DisposeAsync();
        await Azure.DisposeAsync();
        ClientCertificate?.Dispose();
        Ca.Dispose();
        ClusterCa.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder holds only a kubeconfig for a server that no longer exists.
        }
    }

    private void Seed()
    {
        var s = Scenario;
        var state = Azure.State;
        state.AddTenant(s.TenantId);
        state.ResourceManagerAudiences = ResourceManagerAudiences(Options.Cloud);
        var principal = new ServicePrincipal(s.TenantId, s.ServicePrincipalId, ServicePrincipalObjectId,
            Options.Connection == ConnectionKind.SpnSecret ? ClientSecret : null);
        switch (Options.Connection)
        {
            case ConnectionKind.SpnCertificate:
                principal = principal with { Certificates = [ClientCertificate!] };
                break;
            case ConnectionKind.WorkloadIdentityFederation:
                state.TrustIssuer(AzureDevOps.Issuer, AzureDevOps.Signer);
                principal = principal with
                {
                    FederatedCredentials =
                    [
                        new FederatedCredential(
                            "azure-devops",
                            AzureDevOps.Issuer,
                            AzureDevOps.SubjectFor(AgentEnvironment.ProjectName, s.ServiceConnectionName),
                            [AzureState.TokenExchangeAudience]),
                    ],
                };
                break;
            case ConnectionKind.ManagedIdentity:
                // The agent VM's identity stands where the service principal stood: same object id, so the
                // scenario's role assignments (and deny rules) apply to it.
                principal = principal with { ClientId = MachineIdentityClientId };
                state.AddMachineIdentity(principal, systemAssigned: true);
                break;
        }

        state.AddServicePrincipal(principal);
        AzureDevOps.AddProject(AgentEnvironment.ProjectId, AgentEnvironment.ProjectName);
        AzureDevOps.AddServiceConnection(s.ServiceConnectionId, s.ServiceConnectionName);
        state.AddSubscription(s.SubscriptionId, s.TenantId, "Spoke Sandbox");
        state.AddIdentity(s.SubscriptionId, s.IdentityResourceGroup, s.IdentityName, s.Location, s.ClientId,
            s.PrincipalId, s.TenantId);
        var cluster = state.AddCluster(s.SubscriptionId, s.ClusterResourceGroup, s.ClusterName, s.Location,
            s.IssuerUrl, oidcIssuerEnabled: true, workloadIdentityEnabled: true);
        var entra = Options.EntraCluster;
        state.SetCluster(cluster with
        {
            KubernetesServer = Kubernetes.BaseUri,
            CertificateAuthorityData = ClusterCa.CaPemBase64,
            AadProfile = entra ? new ManagedClusterAadProfile(true, true, [], s.TenantId) : null,
            DisableLocalAccounts = entra,
            UserToken = entra ? null : KubernetesToken,
            AdminToken = entra ? null : AdminToken,
        });
        Kubernetes.TrustEntraTokens(Azure.TokenSigner, Clock);

        // The cluster signs ServiceAccount tokens as its OIDC issuer and publishes the issuer's discovery document
        // and JWKS under the issuer URL, where Entra ID fetches them, so the task can verify the trust end to end.
        Kubernetes.State.ServiceAccountIssuer = (Scenario.IssuerUrl, ClusterIssuerSigner.Value);
        Azure.Network.Map(new Uri(Scenario.IssuerUrl).Host, Kubernetes.BaseUri);
        Azure.Network.Trust(ClusterCa);
        if (!entra)
        {
            Kubernetes.AddUser(AdminToken, "clusterAdmin");
        }

        // What the AKS add-on installs when workload identity is enabled.
        Kubernetes.State.AddMutatingWebhookConfiguration(
            KubernetesState.WorkloadIdentityWebhookName, "kube-system", s.TenantId);
        Kubernetes.AddUser(KubernetesToken, KubernetesUser);
        Kubernetes.WriteKubeconfig(KubeconfigPath, KubernetesToken, "aks-pri-exampleapp-sbx");
    }

    private static IReadOnlyList<string> ResourceManagerAudiences(string cloud) => cloud switch
    {
        "AzureUSGovernment" =>
            ["https://management.core.usgovcloudapi.net/", "https://management.core.usgovcloudapi.net",
             "https://management.usgovcloudapi.net/"],
        "AzureChinaCloud" =>
            ["https://management.core.chinacloudapi.cn/", "https://management.core.chinacloudapi.cn",
             "https://management.chinacloudapi.cn/"],
        _ => new AzureState().ResourceManagerAudiences,
    };

    private static IEnumerable<string> KeyLines(string? pem) =>
        pem is null
            ? []
            : [pem, .. pem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(l => !l.StartsWith("-----", StringComparison.Ordinal))];

    // A managed identity connection may be the workload's identity itself; only an assertion grant verifies.
    private bool IsVerificationToken(IssuedToken token) =>
        token.ClientId == Scenario.ClientId && Options.Connection != ConnectionKind.ManagedIdentity;

    private static string RandomToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
