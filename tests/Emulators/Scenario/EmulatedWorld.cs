using System.Security.Cryptography;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Kubernetes;

namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>
/// Emulated Entra ID, Resource Manager and Kubernetes API seeded with the reference scenario, plus what a
/// pipeline job needs to use them: the ServicePrincipal service connection, a kubeconfig, the CA to trust.
/// </summary>
public sealed class EmulatedWorld : IAsyncDisposable
{
    /// <summary>The Kubernetes user the kubeconfig signs in as.</summary>
    public const string KubernetesUser = "system:serviceaccount:pipelines:deployer";

    /// <summary>The service principal's object id in the emulated tenant.</summary>
    public const string ServicePrincipalObjectId = "5c1e55a0-7e21-4f4c-9a1b-2f0c6d3e8a11";

    private readonly string _folder;

    private EmulatedWorld(ReferenceScenario scenario)
    {
        Scenario = scenario;
        _folder = Directory.CreateTempSubdirectory("cwi-world-").FullName;
        Ca = new TestCertificateAuthority();
        Azure = new AzureEmulator();
        Kubernetes = new KubernetesEmulator(Ca);
        ClientSecret = "spn~" + RandomToken();
        KubernetesToken = "k8s-" + RandomToken();
        KubeconfigPath = Path.Combine(_folder, "kubeconfig");
        Kubectl = new Kubectl(KubeconfigPath, Path.Combine(_folder, "kubectl-cache"));
    }

    /// <summary>The scenario the world was seeded from.</summary>
    public ReferenceScenario Scenario { get; }

    /// <summary>The CA every emulator's certificate chains to.</summary>
    public TestCertificateAuthority Ca { get; }

    /// <summary>Entra ID and Resource Manager.</summary>
    public AzureEmulator Azure { get; }

    /// <summary>The cluster's API server.</summary>
    public KubernetesEmulator Kubernetes { get; }

    /// <summary>The service connection's client secret.</summary>
    public string ClientSecret { get; }

    /// <summary>The bearer token in the kubeconfig.</summary>
    public string KubernetesToken { get; }

    /// <summary>A kubeconfig for the emulated cluster.</summary>
    public string KubeconfigPath { get; }

    /// <summary>The real kubectl, pointed at the emulated cluster.</summary>
    public Kubectl Kubectl { get; }

    /// <summary>Every secret of the world that must never appear in any output.</summary>
    public IReadOnlyList<string> Secrets =>
        [ClientSecret, KubernetesToken, .. Azure.State.IssuedTokens.Select(t => t.AccessToken)];

    /// <summary>Starts the emulators and seeds them with <paramref name="scenario"/>.</summary>
    public static async Task<EmulatedWorld> StartAsync(
        ReferenceScenario? scenario = null,
        CancellationToken cancellationToken = default)
    {
        var world = new EmulatedWorld(scenario ?? ReferenceScenario.Load());
        try
        {
            await world.Azure.StartAsync(world.Ca, cancellationToken);
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
                ["azureSubscription"] = Scenario.ServiceConnectionId.ToString(),
                ["resourceGroup"] = Scenario.IdentityResourceGroup,
                ["identityName"] = Scenario.IdentityName,
                ["issuerSource"] = "aksCluster",
                ["clusterResourceGroup"] = Scenario.ClusterResourceGroup,
                ["clusterName"] = Scenario.ClusterName,
                ["namespace"] = Scenario.Namespace,
                ["serviceAccountName"] = Scenario.ServiceAccountName,
                ["federatedCredentialName"] = Scenario.FederatedCredentialName,
                ["kubeconfig"] = KubeconfigPath,
            },
            Endpoints = { ServiceConnection() },
            Environment = { ["SSL_CERT_FILE"] = Ca.CaPemPath },
        };
        inputs?.Invoke(job.Inputs);
        return job;
    }

    /// <summary>The scenario's ServicePrincipal (client secret) service connection, as the agent passes it.</summary>
    public ServiceEndpoint ServiceConnection() =>
        new(
            Scenario.ServiceConnectionId,
            Azure.BaseUri,
            "ServicePrincipal",
            new Dictionary<string, string>
            {
                ["tenantid"] = Scenario.TenantId,
                ["serviceprincipalid"] = Scenario.ServicePrincipalId,
                ["authenticationType"] = "spnKey",
                ["serviceprincipalkey"] = ClientSecret,
            },
            new Dictionary<string, string>
            {
                ["subscriptionId"] = Scenario.SubscriptionId,
                ["subscriptionName"] = "Spoke Sandbox",
                ["environment"] = "AzureCloud",
                ["scopeLevel"] = "Subscription",
                ["activeDirectoryAuthority"] = Azure.BaseUri.ToString(),
                ["activeDirectoryServiceEndpointResourceId"] = "https://management.core.windows.net/",
            });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Kubernetes.DisposeAsync();
        await Azure.DisposeAsync();
        Ca.Dispose();
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
        state.AddServicePrincipal(s.TenantId, s.ServicePrincipalId, ServicePrincipalObjectId, ClientSecret);
        state.AddSubscription(s.SubscriptionId, s.TenantId, "Spoke Sandbox");
        state.AddIdentity(s.SubscriptionId, s.IdentityResourceGroup, s.IdentityName, s.Location, s.ClientId,
            s.PrincipalId, s.TenantId);
        state.AddCluster(s.SubscriptionId, s.ClusterResourceGroup, s.ClusterName, s.Location, s.IssuerUrl,
            oidcIssuerEnabled: true, workloadIdentityEnabled: true);

        // What the AKS add-on installs when workload identity is enabled.
        Kubernetes.State.AddMutatingWebhookConfiguration(
            "azure-wi-webhook-mutating-webhook-configuration", "kube-system");
        Kubernetes.AddUser(KubernetesToken, KubernetesUser);
        Kubernetes.WriteKubeconfig(KubeconfigPath, KubernetesToken, "aks-pri-exampleapp-sbx");
    }

    private static string RandomToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
