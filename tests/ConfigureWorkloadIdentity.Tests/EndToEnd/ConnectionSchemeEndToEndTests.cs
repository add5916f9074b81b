using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// Every Azure Resource Manager connection scheme end to end: the real executable through the shim signs in the way
/// the connection says, against the emulated Entra ID, Azure DevOps OIDC and managed identity endpoints.
/// </summary>
public sealed class ConnectionSchemeEndToEndTests
{
    private readonly AgentHarness _harness = new(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);

    [Theory]
    [InlineData(ConnectionKind.SpnSecret)]
    [InlineData(ConnectionKind.SpnCertificate)]
    [InlineData(ConnectionKind.WorkloadIdentityFederation)]
    [InlineData(ConnectionKind.ManagedIdentity)]
    public async Task Run_EachScheme_SignsInAndConfigures(ConnectionKind connection)
    {
        await using var world = await EmulatedWorld.StartAsync(new WorldOptions { Connection = connection });

        using var run = await _harness.RunAsync(world.CreateJob());

        EndToEndAssert.Succeeded(run);
        Assert.Single(world.Azure.State.GetFederatedCredentials(
            world.Scenario.SubscriptionId, world.Scenario.IdentityResourceGroup, world.Scenario.IdentityName));
        var tokenRequests = world.ConnectionTokenRequests;
        Assert.NotEmpty(tokenRequests);
        Assert.All(tokenRequests, r => Assert.Equal(
            connection == ConnectionKind.ManagedIdentity ? "/msi/token" : r.Path, r.Path));
        Assert.Equal(connection == ConnectionKind.WorkloadIdentityFederation, world.AzureDevOps.Requests.Count > 0);
    }

    [Fact]
    public async Task Run_Certificate_SignsAssertionWithTheConnectionsKeyAndNeverPrintsIt()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { Connection = ConnectionKind.SpnCertificate });

        using var run = await _harness.RunAsync(world.CreateJob(job => job["federatedCredentialName"] = ""));

        EndToEndAssert.Succeeded(run);
        var grant = Assert.Single(world.ConnectionTokenRequests);
        Assert.Contains("client_assertion=", grant.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("client_secret", grant.Body, StringComparison.Ordinal);
        // Every line of the key is masked before anything prints.
        foreach (var line in world.CertificateKeyPem!.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('-')))
        {
            Assert.Contains("##vso[task.setsecret]" + line.Trim(), run.Lines);
        }
    }

    [Fact]
    public async Task Run_WorkloadIdentityFederation_ExchangesAFreshPipelineTokenPerEntraRequest()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { Connection = ConnectionKind.WorkloadIdentityFederation });

        using var run = await _harness.RunAsync(world.CreateJob());

        EndToEndAssert.Succeeded(run);
        var grants = world.ConnectionTokenRequests;
        Assert.NotEmpty(grants);
        Assert.Equal(grants.Count, world.AzureDevOps.IssuedTokens.Count);
        var oidc = Assert.Single(world.AzureDevOps.Requests);
        Assert.Contains(
            $"serviceConnectionId={world.Scenario.ServiceConnectionId}", oidc.Query, StringComparison.Ordinal);
        foreach (var token in world.AzureDevOps.IssuedTokens)
        {
            Assert.Contains("##vso[task.setsecret]" + token.Token, run.Lines);
        }
    }

    [Fact]
    public async Task Run_WorkloadIdentityFederationWithoutOidcRequestUri_BuildsTheRequestFromTheJob()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { Connection = ConnectionKind.WorkloadIdentityFederation });
        var job = world.CreateJob();
        job.Environment["SYSTEM_OIDCREQUESTURI"] = null;

        using var run = await _harness.RunAsync(job);

        EndToEndAssert.Succeeded(run);
        var oidc = Assert.Single(world.AzureDevOps.Requests);
        Assert.Contains("/_apis/distributedtask/hubs/build/plans/", oidc.Path, StringComparison.Ordinal);
        Assert.Contains("api-version=7.1-preview.1", oidc.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WorkloadIdentityFederationAsAUserAssignedIdentity_SignsInWithItsCredential()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { Connection = ConnectionKind.WorkloadIdentityFederation });
        var s = world.Scenario;
        // A connection whose client is a managed identity trusting the pipeline (the identity here is the
        // scenario's own, which the run then also configures).
        world.Azure.State.AddFederatedCredential(s.SubscriptionId, s.IdentityResourceGroup, s.IdentityName,
            "azure-devops", world.AzureDevOps.Issuer,
            world.AzureDevOps.SubjectFor("ConfigureWorkloadIdentity", s.ServiceConnectionName));
        var job = world.CreateJob();
        var endpoint = job.Endpoints[0];
        job.Endpoints[0] = endpoint with
        {
            AuthParameters = new Dictionary<string, string>(endpoint.AuthParameters)
            {
                ["serviceprincipalid"] = s.ClientId,
            },
        };

        using var run = await _harness.RunAsync(job);

        EndToEndAssert.Succeeded(run);
        Assert.All(world.Azure.State.IssuedTokens, t => Assert.Equal(s.PrincipalId, t.ObjectId));
    }

    [Fact]
    public async Task Run_FederatedCredentialNotMatchingThePipelineToken_ShowsIssuerAndSubjectNotTheToken()
    {
        await using var world = await EmulatedWorld.StartAsync(
            new WorldOptions { Connection = ConnectionKind.WorkloadIdentityFederation });
        // The organization was renamed: the app still trusts the old subject.
        var principal = new ServicePrincipal(world.Scenario.TenantId, world.Scenario.ServicePrincipalId,
            EmulatedWorld.ServicePrincipalObjectId, null);
        world.Azure.State.AddServicePrincipal(principal with
        {
            FederatedCredentials =
            [
                new FederatedCredential("ado", world.AzureDevOps.Issuer,
                    "sc://fabrikam/ConfigureWorkloadIdentity/sc-pri-exampleapp-sbx", ["api://AzureADTokenExchange"]),
            ],
        });

        using var run = await _harness.RunAsync(world.CreateJob());

        var subject = world.AzureDevOps.SubjectFor("ConfigureWorkloadIdentity", world.Scenario.ServiceConnectionName);
        EndToEndAssert.FailedWith(run, "AADSTS700213", $"issuer '{world.AzureDevOps.Issuer}'",
            $"subject '{subject}'", "update the federated credential");
        Assert.Equal(0, world.Azure.State.ArmWriteCount);
    }

    [Theory]
    [InlineData("PublishProfile", "'PublishProfile'")]
    [InlineData("UsernamePassword", "'UsernamePassword'")]
    public async Task Run_UnknownScheme_FailsClearlyBeforeAnyRequest(string scheme, string named)
    {
        await using var world = await EmulatedWorld.StartAsync();
        var job = world.CreateJob();
        job.Endpoints[0] = job.Endpoints[0] with { Scheme = scheme };

        using var run = await _harness.RunAsync(job);

        EndToEndAssert.FailedWith(run, named, "Supported: ServicePrincipal", "WorkloadIdentityFederation",
            "ManagedServiceIdentity");
        Assert.DoesNotContain(run.Lines, l => l.Contains("NullReference", StringComparison.Ordinal));
        Assert.Empty(world.Azure.Requests);
        Assert.Empty(world.Kubernetes.Requests);
        Assert.Empty(world.AzureDevOps.Requests);
    }
}
