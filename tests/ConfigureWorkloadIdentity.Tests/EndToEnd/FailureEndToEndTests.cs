using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>Failures users meet most, each explained with its evidence and fix instead of a crash.</summary>
public sealed class FailureEndToEndTests : EndToEndTestBase
{
    [Fact]
    public async Task Run_WrongClientSecret_ShowsEntrasReasonAndTheFix()
    {
        var job = World.CreateJob();
        var connection = job.Endpoints[0];
        var parameters = new Dictionary<string, string>(connection.AuthParameters)
        {
            ["serviceprincipalkey"] = "not-the-secret",
        };
        job.Endpoints[0] = connection with { AuthParameters = parameters };

        using var run = await Harness.RunAsync(job);

        EndToEndAssert.FailedWith(run, "Sign-in to Entra ID failed", "AADSTS7000215", "expired or wrong secret");
        Assert.DoesNotContain(run.Lines, l => l.Contains("not-the-secret", StringComparison.Ordinal)
            && !l.StartsWith("##vso[task.setsecret]", StringComparison.Ordinal));
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_ResourceManagerAnswersWithAProxyPage_SaysSoInsteadOfCrashing()
    {
        World.Azure.InjectFault(new FaultRule
        {
            Method = "GET",
            PathPattern = "/userAssignedIdentities/[^/]+$",
            Status = 200,
            Body = "<html><body>Proxy login</body></html>",
        });

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "a body that is not ARM's JSON", "proxy");
        Assert.DoesNotContain(run.Errors, e => e.Message.Contains("defect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ResourceManagerUnreachable_NamesTheEndpoint()
    {
        var job = World.CreateJob();
        job.Endpoints[0] = job.Endpoints[0] with { Url = new Uri("https://127.0.0.1:1/") };

        using var run = await Harness.RunAsync(job);

        EndToEndAssert.FailedWith(run, "Could not reach Azure Resource Manager at https://127.0.0.1:1",
            "Resource Manager URL");
    }

    [Fact]
    public async Task Run_KubeconfigThatIsNotAKubeconfig_NamesTheInput()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cwi-not-a-kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "hello");
        try
        {
            using var run = await RunAsync(inputs =>
            {
                inputs["clusterConnection"] = "kubeconfig";
                inputs["kubeconfig"] = file;
            });

            EndToEndAssert.FailedWith(run, $"kubeconfig {file} cannot be used", "it is not a kubeconfig");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_KubeconfigVariableNamesMissingFile_FailsInsteadOfFallingBack()
    {
        var job = World.CreateJob(inputs =>
        {
            inputs["clusterConnection"] = "kubeconfig";
            inputs["kubeconfig"] = "";
        });
        job.Environment["KUBECONFIG"] = "/does/not/exist/kubeconfig";

        using var run = await Harness.RunAsync(job);

        EndToEndAssert.FailedWith(run, "KUBECONFIG is '/does/not/exist/kubeconfig'", "no file it names exists");
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
    }

    [Fact]
    public async Task Run_ServiceAccountWithAnotherTenantAnnotation_Warns()
    {
        World.Kubernetes.State.SeedServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName,
            annotations: new Dictionary<string, string>
            {
                ["azure.workload.identity/tenant-id"] = "99999999-9999-4999-8999-999999999999",
            });

        using var run = await RunAsync();

        Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
        Assert.Contains(run.Warnings, w => w.Message.Contains(
            "azure.workload.identity/tenant-id='99999999-9999-4999-8999-999999999999'", StringComparison.Ordinal)
            && w.Message.Contains(Scenario.TenantId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_IssuerWithPassword_RejectedWithoutPrintingThePassword()
    {
        using var run = await RunAsync(inputs =>
        {
            inputs["issuerSource"] = "issuerUrl";
            inputs["issuerUrl"] = "https://user:s3cr3tpw@issuer.example/";
        });

        EndToEndAssert.FailedWith(run, "Input 'issuerUrl' ('https://***@issuer.example/')", "user name or password");
        Assert.DoesNotContain("s3cr3tpw", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(World.Azure.Requests);
    }
}
