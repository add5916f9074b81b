using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// The real executable, started through the real Node shim with the environment the agent gives a task,
/// against the emulators seeded with the reference scenario. The real kubectl reads the cluster back.
/// </summary>
public sealed class TaskEndToEndTests : EndToEndTestBase
{
    [Fact]
    public async Task Run_FreshScenario_CreatesCredentialAndServiceAccount()
    {
        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        var credential = Assert.Single(Credentials());
        Assert.Equal(Scenario.FederatedCredentialName, credential.Name);
        Assert.Equal(Scenario.IssuerUrl, credential.Issuer);
        Assert.EndsWith("/", credential.Issuer, StringComparison.Ordinal);
        Assert.Equal("system:serviceaccount:exampleapp-ns:exampleapp-wi-sa", credential.Subject);
        Assert.Equal(["api://AzureADTokenExchange"], credential.Audiences);

        var metadata = (await KubectlServiceAccountAsync())["metadata"]!;
        Assert.Equal(Scenario.ClientId, (string?)metadata["annotations"]!["azure.workload.identity/client-id"]);
        Assert.Equal("true", (string?)metadata["labels"]!["azure.workload.identity/use"]);

        Assert.Equal(Scenario.ClientId, run.GetVariable("clientId"));
        Assert.Equal(Scenario.PrincipalId, run.GetVariable("principalId"));
        Assert.Equal(Scenario.TenantId, run.GetVariable("tenantId"));
        Assert.Equal(Scenario.IssuerUrl, run.GetVariable("issuerUrl"));
        Assert.Equal(Scenario.FederatedCredentialName, run.GetVariable("federatedCredentialName"));
        Assert.Equal("exampleapp-ns/exampleapp-wi-sa", run.GetVariable("serviceAccount"));
        Assert.Contains(run.Lines, l => l.StartsWith("Namespace exampleapp-ns: created", StringComparison.Ordinal));
        var summary = Assert.Single(run.Summaries).Content;
        Assert.Contains($"| Client id | `{Scenario.ClientId}` |", summary, StringComparison.Ordinal);
        Assert.Contains($"| Issuer | `{Scenario.IssuerUrl}` |", summary, StringComparison.Ordinal);
        Assert.Contains($"| Subject | `{Scenario.Subject}` |", summary, StringComparison.Ordinal);
        Assert.Contains($"| Federated credential | `{Scenario.FederatedCredentialName}` |", summary,
            StringComparison.Ordinal);
        Assert.Contains("- Namespace exampleapp-ns: created", summary, StringComparison.Ordinal);
        Assert.Contains("azure.workload.identity/use: \"true\"", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SecondTime_ChangesNothingAndSaysSo()
    {
        using var first = await RunAsync();
        EndToEndAssert.Succeeded(first);
        var armWrites = World.Azure.State.ArmWriteCount;
        var clusterWrites = World.Kubernetes.State.WriteCount;

        using var second = await RunAsync();

        EndToEndAssert.Succeeded(second);
        Assert.Contains("nothing changed", second.ResultMessage, StringComparison.Ordinal);
        Assert.Equal(armWrites, World.Azure.State.ArmWriteCount);
        Assert.Equal(clusterWrites, World.Kubernetes.State.WriteCount);
        Assert.Contains(second.Lines, l => l.StartsWith("Federated credential", StringComparison.Ordinal)
            && l.EndsWith(": unchanged", StringComparison.Ordinal));
        Assert.Contains(second.Lines, l => l == "ServiceAccount exampleapp-ns/exampleapp-wi-sa: unchanged");
        Assert.Single(Credentials());
    }

    [Fact]
    public async Task Run_ServiceAccountOwnedByOthers_KeepsTheirLabelsAnnotationsAndFields()
    {
        await KubectlAsync("create", "namespace", Scenario.Namespace);
        await KubectlAsync("create", "serviceaccount", Scenario.ServiceAccountName, "-n", Scenario.Namespace);
        await KubectlAsync("label", "serviceaccount", Scenario.ServiceAccountName, "-n", Scenario.Namespace,
            "team=payments", "app.kubernetes.io/managed-by=Helm");
        await KubectlAsync("annotate", "serviceaccount", Scenario.ServiceAccountName, "-n", Scenario.Namespace,
            "owner=platform@example.com", "meta.helm.sh/release-name=exampleapp");

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Contains(run.Lines, l => l.StartsWith("ServiceAccount exampleapp-ns/exampleapp-wi-sa: updated",
            StringComparison.Ordinal));
        var metadata = (await KubectlServiceAccountAsync())["metadata"]!;
        Assert.Equal("payments", (string?)metadata["labels"]!["team"]);
        Assert.Equal("Helm", (string?)metadata["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal("true", (string?)metadata["labels"]!["azure.workload.identity/use"]);
        Assert.Equal("platform@example.com", (string?)metadata["annotations"]!["owner"]);
        Assert.Equal("exampleapp", (string?)metadata["annotations"]!["meta.helm.sh/release-name"]);
        Assert.Equal(Scenario.ClientId, (string?)metadata["annotations"]!["azure.workload.identity/client-id"]);
    }

    [Fact]
    public async Task Run_SameIssuerAndSubjectUnderAnotherName_AdoptsItWithoutDuplicate()
    {
        World.Azure.State.AddFederatedCredential(Scenario.SubscriptionId, Scenario.IdentityResourceGroup,
            Scenario.IdentityName, "legacy-fic", Scenario.IssuerUrl, Scenario.Subject);

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        var credential = Assert.Single(Credentials());
        Assert.Equal("legacy-fic", credential.Name);
        Assert.Equal("legacy-fic", run.GetVariable("federatedCredentialName"));
        Assert.DoesNotContain(World.Azure.Requests, r => r.Method == "PUT");
    }

    [Fact]
    public async Task Run_MatchOnTheLastPage_ReadsEveryPage()
    {
        var state = World.Azure.State;
        state.FederatedCredentialPageSize = 3;
        for (var i = 0; i < 7; i++)
        {
            state.AddFederatedCredential(Scenario.SubscriptionId, Scenario.IdentityResourceGroup,
                Scenario.IdentityName, $"other-{i}", Scenario.IssuerUrl, $"system:serviceaccount:other:sa{i}");
        }

        state.AddFederatedCredential(Scenario.SubscriptionId, Scenario.IdentityResourceGroup,
            Scenario.IdentityName, "last-page", Scenario.IssuerUrl, Scenario.Subject);

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Equal("last-page", run.GetVariable("federatedCredentialName"));
        Assert.Equal(8, Credentials().Count);
        Assert.Equal(3, World.Azure.Requests.Count(r => r.Path.EndsWith("/federatedIdentityCredentials",
            StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Run_IdentityNotFound_FailsClearlyAndWritesNothing()
    {
        using var run = await RunAsync(inputs => inputs["identityName"] = "mi-does-not-exist");

        EndToEndAssert.FailedWith(run, "Managed identity 'mi-does-not-exist' was not found", "identityName",
            "ResourceNotFound", "x-ms-request-id");
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
        Assert.DoesNotContain(Scenario.Namespace, World.Kubernetes.State.NamespaceNames);
    }

    [Fact]
    public async Task Run_Arm403OnCredentialWrite_FailsWithCodeAndRequestIds()
    {
        World.Azure.State.Deny(EmulatedWorld.ServicePrincipalObjectId,
            "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write", "");

        using var run = await RunAsync();

        var errors = EndToEndAssert.FailedWith(run, "Azure refused", "AuthorizationFailed",
            "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write");
        Assert.Matches("x-ms-request-id: [0-9a-f-]{36}", errors);
        Assert.Matches("x-ms-correlation-request-id: [0-9a-f-]{36}", errors);
        Assert.Empty(Credentials());
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_MissingNamespaceWithoutCreateNamespace_FailsBeforeAnyWrite()
    {
        using var run = await RunAsync(inputs => inputs["createNamespace"] = "false");

        EndToEndAssert.FailedWith(run, "Namespace 'exampleapp-ns' does not exist", "'createNamespace' is false");
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Empty(Credentials());
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_BadInputs_AllReportedBeforeAnyRequest()
    {
        using var run = await RunAsync(inputs =>
        {
            inputs["namespace"] = "Team-A";
            inputs["serviceAccountName"] = "my_sa";
            inputs["federatedCredentialName"] = "-x";
        });

        EndToEndAssert.FailedWith(run, "Input 'namespace' ('Team-A')", "Input 'serviceAccountName' ('my_sa')",
            "Input 'federatedCredentialName' ('-x')");
        Assert.Contains("3 input errors; nothing was changed.", run.ResultMessage, StringComparison.Ordinal);
        Assert.Empty(World.Azure.Requests);
        Assert.Empty(World.Kubernetes.Requests);
    }

    [Fact]
    public async Task Run_IssuerGivenByHand_UsesItVerbatimWithoutReadingTheCluster()
    {
        const string issuer = "https://westeurope.oic.prod-aks.azure.com/tenant/1234/";
        // A cluster that is not the AKS one: it signs its ServiceAccount tokens as that issuer.
        var (_, signer) = World.Kubernetes.State.ServiceAccountIssuer!.Value;
        World.Kubernetes.State.ServiceAccountIssuer = (issuer, signer);
        World.Azure.Network.Map(new Uri(issuer).Host, World.Kubernetes.BaseUri);
        using var run = await RunAsync(inputs =>
        {
            inputs["issuerSource"] = "issuerUrl";
            inputs["issuerUrl"] = issuer;
            inputs["clusterName"] = "";
            // A kubeconfig path: without the cluster's name ARM cannot give its credentials.
            inputs["clusterConnection"] = "kubeconfig";
            inputs["kubeconfig"] = World.KubeconfigPath;
        });

        EndToEndAssert.Succeeded(run);
        Assert.Equal(issuer, Assert.Single(Credentials()).Issuer);
        Assert.DoesNotContain(World.Azure.Requests, r => r.Path.Contains("managedClusters", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ConcurrentWriteConflict_RetriedUntilItSucceeds()
    {
        World.Azure.InjectFault(new FaultRule
        {
            Method = "PUT",
            PathPattern = "/federatedIdentityCredentials/",
            Status = 409,
            Body = """
                {"error":{"code":"ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
                "message":"Too many Federated Identity Credentials are written concurrently."}}
                """,
            Times = 1,
        });

        using var run = await RunAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Single(Credentials());
        Assert.Equal(2, World.Azure.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Run_ClusterWithoutOidcIssuer_FailsWithTheFixBeforeAnyWrite()
    {
        var state = World.Azure.State;
        var cluster = state.GetCluster(Scenario.SubscriptionId, Scenario.ClusterResourceGroup, Scenario.ClusterName)!;
        state.SetCluster(cluster with { OidcIssuerEnabled = false, IssuerUrl = null });

        using var run = await RunAsync();

        EndToEndAssert.FailedWith(run, "OIDC issuer is not enabled", "--enable-oidc-issuer");
        Assert.Equal(0, state.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_WhatIfOnFreshScenario_PrintsThePlanAndWritesNothing()
    {
        using var run = await RunAsync(inputs => inputs["whatIf"] = "true");

        EndToEndAssert.Succeeded(run);
        Assert.Equal("What-if: 3 changes would be made for exampleapp-ns/exampleapp-wi-sa; nothing was changed.",
            run.ResultMessage);
        Assert.Contains(run.Lines, l => l.StartsWith("Federated credential mi-aks-pri-exampleapp-sbx-federation",
            StringComparison.Ordinal) && l.EndsWith("would be created (audience api://AzureADTokenExchange)",
            StringComparison.Ordinal));
        Assert.Contains("Namespace exampleapp-ns: would be created", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("ServiceAccount exampleapp-ns/exampleapp-wi-sa: would be created",
            StringComparison.Ordinal) && l.Contains($"(none) -> '{Scenario.ClientId}'", StringComparison.Ordinal));
        // listClusterUserCredential is a POST that only reads.
        Assert.DoesNotContain(World.Azure.Requests, r => r.IsWrite
            && r.Path.StartsWith("/subscriptions/", StringComparison.Ordinal)
            && !r.Path.EndsWith("/listClusterUserCredential", StringComparison.Ordinal));
        Assert.DoesNotContain(World.Kubernetes.Requests, r => r.IsWrite);
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
        Assert.Equal(Scenario.ClientId, run.GetVariable("clientId"));
        Assert.Equal(Scenario.FederatedCredentialName, run.GetVariable("federatedCredentialName"));
    }

    [Fact]
    public async Task Run_WhatIfWithOldClientId_ShowsBeforeAndAfter()
    {
        World.Kubernetes.State.SeedServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName,
            annotations: new Dictionary<string, string> { ["azure.workload.identity/client-id"] = "old-client-id" });

        using var run = await RunAsync(inputs => inputs["whatIf"] = "true");

        Assert.Contains(run.Lines, l => l.Contains(
            $"annotation azure.workload.identity/client-id: 'old-client-id' -> '{Scenario.ClientId}'",
            StringComparison.Ordinal));
        Assert.Contains(run.Warnings, w => w.Message.Contains("restarted", StringComparison.Ordinal));
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
        Assert.Equal("old-client-id", (string?)World.Kubernetes.State
            .GetServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName)!["metadata"]!["annotations"]!
            ["azure.workload.identity/client-id"]);
    }
}
