using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;
using static ConfigureWorkloadIdentity.Tests.LeastPrivilege.Permissions;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// Each mode run with exactly the permissions docs/least-privilege.md lists for it succeeds: the documented
/// grants are enough.
/// </summary>
public sealed class LeastPrivilegeEndToEndTests : LeastPrivilegeEndToEndTestBase
{
    [Theory]
    [InlineData(LeastPrivilegeSetup.Reference)]
    [InlineData(LeastPrivilegeSetup.CreateIdentity)]
    [InlineData(LeastPrivilegeSetup.Hints)]
    public async Task Apply_ExactlyTheDocumentedGrants_Succeeds(LeastPrivilegeSetup setup)
    {
        GrantOnly(Apply, setup);

        using var run = await RunAsync(setup);

        if (setup == LeastPrivilegeSetup.Hints)
        {
            // The hints are warnings: seeing them proves the workload lists were granted and called.
            Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
            Assert.Contains(run.Warnings, w => w.Message.Contains($"{HintWorkload} runs as", StringComparison.Ordinal));
        }
        else
        {
            EndToEndAssert.Succeeded(run);
        }

        Assert.Contains(run.Lines, l => l.StartsWith("Verified: ", StringComparison.Ordinal));
        Assert.Single(World.Azure.State.RoleAssignments);
        Assert.DoesNotContain(World.Azure.Requests, r => r.Status == 403);
        Assert.DoesNotContain(World.Kubernetes.Requests, r => r.Status == 403);
    }

    [Fact]
    public async Task WhatIf_ExactlyTheDocumentedGrants_SucceedsAndWritesNothing()
    {
        GrantOnly(WhatIf, LeastPrivilegeSetup.Reference);

        using var run = await RunAsync(LeastPrivilegeSetup.Reference, inputs => inputs["whatIf"] = "true");

        EndToEndAssert.Succeeded(run);
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Theory]
    [InlineData("kubeconfig")]
    [InlineData("kubernetesServiceConnection")]
    public async Task Kubeconfig_ExactlyTheDocumentedGrants_Succeeds(string connection)
    {
        GrantOnly(Kubeconfig, LeastPrivilegeSetup.Reference);

        using var run = await RunAsync(LeastPrivilegeSetup.Reference, job =>
        {
            job.Inputs["clusterConnection"] = connection;
            if (connection == "kubeconfig")
            {
                job.Inputs["kubeconfig"] = World.KubeconfigPath;
            }
            else
            {
                job.Inputs["kubernetesServiceConnection"] = EmulatedWorld.KubernetesConnectionId.ToString();
                job.Endpoints.Add(World.KubernetesServiceConnection());
            }
        });

        EndToEndAssert.Succeeded(run);
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task ClusterAdmin_ExactlyTheDocumentedGrants_Succeeds()
    {
        GrantOnly(ClusterAdmin, LeastPrivilegeSetup.Reference);

        using var run = await RunAsync(LeastPrivilegeSetup.Reference, inputs => inputs["useClusterAdmin"] = "true");

        EndToEndAssert.Succeeded(run);
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Remove_ExactlyTheDocumentedGrants_TakesEverythingBack()
    {
        using (var apply = await RunAsync(LeastPrivilegeSetup.Reference))
        {
            EndToEndAssert.Succeeded(apply);
        }

        GrantOnly(Remove, LeastPrivilegeSetup.Reference);

        using var run = await RunAsync(LeastPrivilegeSetup.Reference, inputs => inputs["action"] = "remove");

        EndToEndAssert.Succeeded(run);
        Assert.Empty(Credentials());
        Assert.Empty(World.Azure.State.RoleAssignments);
        Assert.Null(World.Kubernetes.State.GetServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName));
    }

    [Fact]
    public async Task Render_ExactlyTheDocumentedGrants_SucceedsWithoutTheCluster()
    {
        GrantOnly(Render, LeastPrivilegeSetup.Reference);

        using var run = await RunAsync(LeastPrivilegeSetup.Reference, inputs => inputs["action"] = "render");

        EndToEndAssert.Succeeded(run);
        Assert.Single(Credentials());
        Assert.Empty(World.Kubernetes.Requests);
    }
}
