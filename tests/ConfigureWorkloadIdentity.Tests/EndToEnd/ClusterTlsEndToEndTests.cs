using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// The cluster's server certificate is checked against the CA the connection gives, and only that CA: with the
/// agent machine trusting the cluster's real CA (SSL_CERT_FILE, the system store of .NET on Linux), a connection
/// that names another CA is still refused, on every way to reach the cluster.
/// </summary>
public sealed partial class ClusterTlsEndToEndTests
{
    private readonly AgentHarness _harness = new(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);

    [Fact]
    public async Task Run_KubeconfigWithoutCa_MachineTrustingTheCluster_Succeeds()
    {
        // The control: the machine's trust really is what SSL_CERT_FILE says, so the refusals below are the CA pin.
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.Kubeconfig });
        File.WriteAllText(world.KubeconfigPath, CaData().Replace(File.ReadAllText(world.KubeconfigPath), ""));

        using var trusting = await _harness.RunAsync(TrustingTheCluster(world, world.CreateJob()));
        EndToEndAssert.Succeeded(trusting);
        Assert.NotEmpty(world.Kubernetes.Requests);

        var writes = world.Kubernetes.State.WriteCount;
        using var untrusting = await _harness.RunAsync(world.CreateJob());
        EndToEndAssert.FailedWith(untrusting, "could not reach the API server");
        Assert.Equal(writes, world.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_KubeconfigNamingAnotherCa_MachineTrustingTheCluster_IsRefused()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.Kubeconfig });
        using var other = new TestCertificateAuthority();
        File.WriteAllText(world.KubeconfigPath, File.ReadAllText(world.KubeconfigPath)
            .Replace(world.ClusterCa.CaPemBase64, other.CaPemBase64, StringComparison.Ordinal));

        using var run = await _harness.RunAsync(TrustingTheCluster(world, world.CreateJob()));

        AssertRefusedByTheCa(run, world);
    }

    [Fact]
    public async Task Run_KubernetesConnectionNamingAnotherCa_MachineTrustingTheCluster_IsRefused()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.KubernetesServiceConnection });
        using var other = new TestCertificateAuthority();
        var job = JobWithConnectionCa(world, other, acceptUntrusted: false);

        using var run = await _harness.RunAsync(TrustingTheCluster(world, job));

        AssertRefusedByTheCa(run, world);
    }

    [Fact]
    public async Task Run_KubernetesConnectionAcceptingUntrustedCerts_HonouredWithAWarning()
    {
        // The connection names a CA that did not issue the server's certificate; only the flag lets the run through.
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { ClusterAccess = ClusterAccess.KubernetesServiceConnection });
        using var other = new TestCertificateAuthority();
        var job = JobWithConnectionCa(world, other, acceptUntrusted: true);

        using var run = await _harness.RunAsync(job);

        EndToEndAssert.Succeeded(run);
        Assert.Contains(run.Warnings, w => w.Message.Contains("TLS verification", StringComparison.Ordinal)
            && w.Message.Contains("accepts untrusted certificates", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_ArmKubeconfigNamingAnotherCa_MachineTrustingTheCluster_IsRefused(bool entraCluster)
    {
        await using var world = await EmulatedWorld.StartAsync(new WorldOptions { EntraCluster = entraCluster });
        using var other = new TestCertificateAuthority();
        var s = world.Scenario;
        var cluster = world.Azure.State.GetCluster(s.SubscriptionId, s.ClusterResourceGroup, s.ClusterName)!;
        world.Azure.State.SetCluster(cluster with { CertificateAuthorityData = other.CaPemBase64 });

        using var run = await _harness.RunAsync(TrustingTheCluster(world, world.CreateJob()));

        AssertRefusedByTheCa(run, world);
    }

    private static AgentJob TrustingTheCluster(EmulatedWorld world, AgentJob job)
    {
        var both = Path.Combine(Path.GetDirectoryName(world.KubeconfigPath)!, "machine-trust.pem");
        File.WriteAllText(both, world.Ca.CaPem + world.ClusterCa.CaPem);
        job.Environment["SSL_CERT_FILE"] = both;
        return job;
    }

    private static void AssertRefusedByTheCa(TaskRun run, EmulatedWorld world)
    {
        EndToEndAssert.FailedWith(run, "could not reach the API server");
        Assert.Equal(0, world.Kubernetes.State.WriteCount);
    }

    [GeneratedRegex("certificate-authority-data: .*")]
    private static partial Regex CaData();

    /// <summary>A job whose Kubernetes service connection names <paramref name="ca"/> as the cluster's CA.</summary>
    private static AgentJob JobWithConnectionCa(EmulatedWorld world, TestCertificateAuthority ca, bool acceptUntrusted)
    {
        var job = world.CreateJob();
        var connection = world.KubernetesServiceConnection();
        var data = new Dictionary<string, string>(connection.Data!);
        if (acceptUntrusted)
        {
            data["acceptUntrustedCerts"] = "true";
        }

        job.Endpoints[1] = connection with
        {
            AuthParameters = new Dictionary<string, string>(connection.AuthParameters)
            {
                ["serviceAccountCertificate"] =
                    Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ca.CaPem)),
            },
            Data = data,
        };
        return job;
    }
}
