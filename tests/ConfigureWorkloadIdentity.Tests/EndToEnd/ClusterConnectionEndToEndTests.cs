using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// Every way to reach the cluster, crossed with the connection schemes (every scheme on the default ARM path to an
/// Entra ID cluster, as ConnectionSchemeEndToEndTests does to a cluster with local accounts; a diagonal for the
/// rest), plus the admin path, kubeconfig contexts and TLS, the OIDC token's lifetime and the sovereign clouds.
/// </summary>
public sealed class ClusterConnectionEndToEndTests
{
    private const string AksServerAudience = "6dae42f8-4368-4678-94ff-3960e28e3630";

    private readonly AgentHarness _harness = new(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);

    public static TheoryData<ConnectionKind, ClusterAccess, bool> Matrix() => new()
    {
        { ConnectionKind.SpnSecret, ClusterAccess.AzureResourceManager, true },
        { ConnectionKind.SpnCertificate, ClusterAccess.AzureResourceManager, true },
        { ConnectionKind.WorkloadIdentityFederation, ClusterAccess.AzureResourceManager, true },
        { ConnectionKind.ManagedIdentity, ClusterAccess.AzureResourceManager, true },
        { ConnectionKind.WorkloadIdentityFederation, ClusterAccess.KubernetesServiceConnection, false },
        { ConnectionKind.SpnCertificate, ClusterAccess.Kubeconfig, false },
        { ConnectionKind.ManagedIdentity, ClusterAccess.KubernetesServiceConnection, true },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Run_SchemeByClusterConnection_Configures(
        ConnectionKind connection,
        ClusterAccess access,
        bool entraCluster)
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { Connection = connection, ClusterAccess = access, EntraCluster = entraCluster });

        using var run = await _harness.RunAsync(world.CreateJob());

        EndToEndAssert.Succeeded(run);
        Assert.NotNull(world.Kubernetes.State.GetServiceAccount(
            world.Scenario.Namespace, world.Scenario.ServiceAccountName));
        var credentialCalls = world.Azure.Requests.Count(
            r => r.Path.EndsWith("Credential", StringComparison.Ordinal));
        Assert.Equal(access == ClusterAccess.AzureResourceManager ? 1 : 0, credentialCalls);
        Assert.DoesNotContain(world.Azure.Requests, r => r.Path.EndsWith("/listClusterAdminCredential",
            StringComparison.Ordinal));
        var entraTokens = world.Azure.State.IssuedTokens.Where(t => t.Audience == AksServerAudience).ToList();
        Assert.Equal(entraCluster && access == ClusterAccess.AzureResourceManager, entraTokens.Count > 0);
    }

    [Fact]
    public async Task Run_EntraClusterWithoutLocalAccounts_AdminPathFailsClearly()
    {
        await using var world = await EmulatedWorld.StartAsync(new WorldOptions { EntraCluster = true });

        using var run = await _harness.RunAsync(world.CreateJob(inputs => inputs["useClusterAdmin"] = "true"));

        EndToEndAssert.FailedWith(run, "local accounts disabled", "Set 'useClusterAdmin' to false",
            "Getting static credential is not allowed");
        Assert.Empty(world.Kubernetes.Requests);
    }

    [Fact]
    public async Task Run_AdminCredentials_UsesTheAdminKubeconfig()
    {
        await using var world = await EmulatedWorld.StartAsync();

        using var run = await _harness.RunAsync(world.CreateJob(inputs => inputs["useClusterAdmin"] = "true"));

        EndToEndAssert.Succeeded(run);
        Assert.Single(world.Azure.Requests, r => r.Path.EndsWith("/listClusterAdminCredential",
            StringComparison.Ordinal));
        Assert.All(world.ApiServerRequests, r => Assert.Equal(
            "Bearer " + world.AdminToken, r.Headers.GetValueOrDefault("authorization")));
    }

    [Fact]
    public async Task Run_KubernetesConnectionOfKubeconfigKind_UsesItsContext()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.KubernetesServiceConnection });
        var job = world.CreateJob();
        job.Endpoints[1] = world.KubernetesServiceConnection(kubeconfigKind: true);

        using var run = await _harness.RunAsync(job);

        EndToEndAssert.Succeeded(run);
        Assert.NotEmpty(world.Kubernetes.Requests);
    }

    [Fact]
    public async Task Run_KubernetesConnectionOfAzureSubscriptionKind_UsesTheTokenAzureDevOpsSupplies()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.KubernetesServiceConnection });
        var job = world.CreateJob();
        var serviceAccountKind = world.KubernetesServiceConnection();
        var s = world.Scenario;
        // What Azure DevOps stores for this kind (data) and fills in at run time (the token and CA).
        job.Endpoints[1] = serviceAccountKind with
        {
            Scheme = "Kubernetes",
            Data = new Dictionary<string, string>
            {
                ["authorizationType"] = "AzureSubscription",
                ["azureSubscriptionId"] = s.SubscriptionId,
                ["azureSubscriptionName"] = "Spoke Sandbox",
                ["clusterId"] = $"/subscriptions/{s.SubscriptionId}/resourcegroups/{s.ClusterResourceGroup}"
                    + $"/providers/Microsoft.ContainerService/managedClusters/{s.ClusterName}",
                ["namespace"] = s.Namespace,
                ["clusterAdmin"] = "false",
            },
        };

        using var run = await _harness.RunAsync(job);

        EndToEndAssert.Succeeded(run);
        Assert.All(world.ApiServerRequests, r => Assert.Equal(
            "Bearer " + world.KubernetesToken, r.Headers.GetValueOrDefault("authorization")));
        Assert.NotNull(world.Kubernetes.State.GetServiceAccount(s.Namespace, s.ServiceAccountName));
    }

    [Fact]
    public async Task Run_KubeconfigWithClientCertificate_SignsInAsTheCertificatesUser()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.Kubeconfig });
        using var certificate = world.ClusterCa.IssueClientCertificate("clusterAdmin");
        var path = world.KubeconfigPath + "-client-certificate";
        world.Kubernetes.WriteClientCertificateKubeconfig(path, certificate, "aks-pri-exampleapp-sbx");

        using var run = await _harness.RunAsync(world.CreateJob(inputs => inputs["kubeconfig"] = path));

        EndToEndAssert.Succeeded(run);
        Assert.All(world.ApiServerRequests, r => Assert.False(r.Headers.ContainsKey("authorization")));
        Assert.NotNull(world.Kubernetes.State.GetServiceAccount(
            world.Scenario.Namespace, world.Scenario.ServiceAccountName));
    }

    [Fact]
    public async Task Run_ClientCertificateFromAnotherCa_IsRefused()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.Kubeconfig });
        using var otherCa = new TestCertificateAuthority();
        using var certificate = otherCa.IssueClientCertificate("intruder");
        var path = world.KubeconfigPath + "-foreign-certificate";
        world.Kubernetes.WriteClientCertificateKubeconfig(path, certificate, "aks-pri-exampleapp-sbx");

        using var run = await _harness.RunAsync(world.CreateJob(inputs => inputs["kubeconfig"] = path));

        EndToEndAssert.FailedWith(run, "did not accept the credentials (401 Unauthorized)");
        Assert.Equal(0, world.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_KubeconfigWithUnknownContext_FailsNamingTheContexts()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.Kubeconfig });

        using var run = await _harness.RunAsync(
            world.CreateJob(inputs => inputs["kubeconfigContext"] = "staging"));

        EndToEndAssert.FailedWith(run, "no context 'staging'", "'aks-pri-exampleapp-sbx'");
        Assert.Empty(world.Kubernetes.Requests);
    }

    [Fact]
    public async Task Run_KubeconfigSkippingTlsVerify_HonouredWithAWarning()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.Kubeconfig });
        var text = File.ReadAllText(world.KubeconfigPath);
        var insecure = System.Text.RegularExpressions.Regex.Replace(
            text, "certificate-authority-data: .*", "insecure-skip-tls-verify: true");
        File.WriteAllText(world.KubeconfigPath, insecure);

        using var run = await _harness.RunAsync(world.CreateJob());

        EndToEndAssert.Succeeded(run);
        Assert.Contains(run.Warnings, w => w.Message.Contains("insecure-skip-tls-verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_KubeconfigWithAnotherCa_RefusedNotTrusted()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.Kubeconfig });
        using var other = new TestCertificateAuthority();
        File.WriteAllText(world.KubeconfigPath, File.ReadAllText(world.KubeconfigPath)
            .Replace(world.ClusterCa.CaPemBase64, other.CaPemBase64, StringComparison.Ordinal));

        using var run = await _harness.RunAsync(world.CreateJob());

        EndToEndAssert.FailedWith(run, "could not reach the API server");
        Assert.Equal(0, world.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_WorkloadIdentityFederationSlowedPastTheTokenLifetime_SignsInWithAFreshToken()
    {
        await using var world = await EmulatedWorld.StartAsync(new WorldOptions
        {
            Connection = ConnectionKind.WorkloadIdentityFederation,
            EntraCluster = true,
        });
        // The run "takes" eleven minutes between its ARM sign-in and its cluster sign-in: the first pipeline token
        // has expired by then, so only a freshly requested one can be exchanged.
        world.Azure.InjectFault(new FaultRule
        {
            Method = "POST",
            PathPattern = "/listClusterUserCredential$",
            Kind = FaultKind.Latency,
            Delay = TimeSpan.Zero,
            OnFire = () => world.Clock.Advance(TimeSpan.FromMinutes(11)),
        });

        using var run = await _harness.RunAsync(world.CreateJob());

        EndToEndAssert.Succeeded(run);
        var tokens = world.AzureDevOps.IssuedTokens;
        Assert.Equal(2, tokens.Count);
        Assert.True(tokens[1].IssuedAt > tokens[0].ExpiresOn, "The second exchange used a token issued anew.");
        Assert.Contains(world.Azure.State.IssuedTokens, t => t.Audience == AksServerAudience);
    }

    [Theory]
    [InlineData("AzureUSGovernment", "https://management.core.usgovcloudapi.net")]
    [InlineData("AzureChinaCloud", "https://management.core.chinacloudapi.cn")]
    public async Task Run_SovereignCloud_UsesTheEndpointsTheConnectionNames(string cloud, string audience)
    {
        await using var world = await EmulatedWorld.StartAsync(new WorldOptions { Cloud = cloud });

        using var run = await _harness.RunAsync(world.CreateJob());

        EndToEndAssert.Succeeded(run);
        Assert.Contains($"cloud {cloud}", run.Stdout, StringComparison.Ordinal);
        // The connection gives the URLs (the emulator's) and leaves the audience to the environment's default.
        var token = Assert.Single(world.ConnectionTokens);
        Assert.Equal(audience, token.Audience);
        Assert.Contains(world.Azure.Requests, r => r.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));
    }
}
