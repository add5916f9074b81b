using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// Many bindings in one step (input workloads): five ServiceAccounts over two identities, read once per identity,
/// written one at a time per identity, with per-binding results and a verdict for partial failure.
/// </summary>
public sealed class WorkloadsEndToEndTests : EndToEndTestBase
{
    private const string SecondIdentity = "id-spoke-batch";
    private const string SecondClientId = "3b7c1f0e-9a2d-4c5b-8e6f-0a1b2c3d4e5f";
    private const string SecondPrincipalId = "6d8e0f1a-2b3c-4d5e-9f6a-7b8c9d0e1f2a";

    private string Workloads =>
        $"""
        - namespace: payments
          serviceAccountName: payments-api
        - namespace: payments
          serviceAccountName: payments-worker
          labels:
            team: payments
          annotations:
            example.com/owner: "platform@example.com"
        - namespace: orders
          serviceAccountName: orders-api
        - namespace: batch
          serviceAccountName: nightly
          identityName: {SecondIdentity}
        - namespace: batch
          serviceAccountName: reports
          identityResourceId: {SecondIdentityId}
        """;

    private string SecondIdentityId =>
        $"/subscriptions/{Scenario.SubscriptionId}/resourceGroups/{Scenario.IdentityResourceGroup}/providers/"
        + $"Microsoft.ManagedIdentity/userAssignedIdentities/{SecondIdentity}";

    private void AddSecondIdentity() =>
        World.Azure.State.AddIdentity(Scenario.SubscriptionId, Scenario.IdentityResourceGroup, SecondIdentity,
            Scenario.Location, SecondClientId, SecondPrincipalId, Scenario.TenantId);

    private Task<TaskRun> RunWorkloadsAsync(
        string? workloads = null,
        Action<Dictionary<string, string>>? more = null) =>
        RunAsync(inputs =>
        {
            inputs.Remove("namespace");
            inputs.Remove("serviceAccountName");
            inputs.Remove("federatedCredentialName");
            inputs["workloads"] = workloads ?? Workloads;
            more?.Invoke(inputs);
        });

    [Fact]
    public async Task Run_FiveBindingsOverTwoIdentities_ConfiguresEachAndReadsEachIdentityOnce()
    {
        AddSecondIdentity();

        using var run = await RunWorkloadsAsync();

        EndToEndAssert.Succeeded(run);
        Assert.Equal(3, Credentials().Count);
        var second = World.Azure.State.GetFederatedCredentials(
            Scenario.SubscriptionId, Scenario.IdentityResourceGroup, SecondIdentity);
        Assert.Equal(
            ["system:serviceaccount:batch:nightly", "system:serviceaccount:batch:reports"],
            second.Select(c => c.Subject).Order(StringComparer.Ordinal));
        Assert.All(Credentials().Concat(second), c => Assert.Equal(Scenario.IssuerUrl, c.Issuer));

        foreach (var (ns, name, clientId) in new[]
        {
            ("payments", "payments-api", Scenario.ClientId), ("payments", "payments-worker", Scenario.ClientId),
            ("orders", "orders-api", Scenario.ClientId), ("batch", "nightly", SecondClientId),
            ("batch", "reports", SecondClientId),
        })
        {
            var account = JsonNode.Parse(await KubectlAsync("get", "serviceaccount", name, "-n", ns, "-o", "json"))!;
            Assert.Equal(clientId, (string?)account["metadata"]!["annotations"]!["azure.workload.identity/client-id"]);
            Assert.Single(run.Lines, l => l.StartsWith($"Verified: a token for ServiceAccount {ns}/{name} was ",
                StringComparison.Ordinal));
        }

        var worker = JsonNode.Parse(await KubectlAsync(
            "get", "serviceaccount", "payments-worker", "-n", "payments", "-o", "json"))!["metadata"]!;
        Assert.Equal("payments", (string?)worker["labels"]!["team"]);
        Assert.Equal("platform@example.com", (string?)worker["annotations"]!["example.com/owner"]);

        // One identity read and one credential list per identity, one cluster read, however many bindings.
        var arm = World.Azure.Requests.Where(r => r.Method == "GET").Select(r => r.Path.ToLowerInvariant()).ToList();
        Assert.Equal(1, arm.Count(p => p.EndsWith("/userassignedidentities/" + Scenario.IdentityName.ToLowerInvariant(),
            StringComparison.Ordinal)));
        Assert.Equal(1, arm.Count(p => p.EndsWith("/userassignedidentities/" + SecondIdentity,
            StringComparison.Ordinal)));
        Assert.Equal(2, arm.Count(p => p.EndsWith("/federatedidentitycredentials", StringComparison.Ordinal)));
        Assert.Equal(1, arm.Count(p => p.EndsWith("/managedclusters/" + Scenario.ClusterName.ToLowerInvariant(),
            StringComparison.Ordinal)));

        var bindings = JsonNode.Parse(run.GetVariable("bindings")!)!.AsArray();
        Assert.Equal(5, bindings.Count);
        Assert.All(bindings, b => Assert.Equal("changed", (string?)b!["status"]));
        Assert.Equal(SecondClientId, (string?)bindings[4]!["clientId"]);
        Assert.Null(run.GetVariable("clientId")); // two identities: no single client id to hand on
        Assert.Equal(Scenario.IssuerUrl, run.GetVariable("issuerUrl"));
        var summary = Assert.Single(run.Summaries).Content;
        Assert.Contains("## Workload identity: 5 bindings", summary, StringComparison.Ordinal);
        Assert.Contains("| `batch/reports` | `id-spoke-batch` |", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SecondTime_ChangesNothing()
    {
        AddSecondIdentity();
        using var first = await RunWorkloadsAsync();
        EndToEndAssert.Succeeded(first);
        var armWrites = World.Azure.State.ArmWriteCount;
        var clusterWrites = World.Kubernetes.State.WriteCount;

        using var second = await RunWorkloadsAsync();

        EndToEndAssert.Succeeded(second);
        Assert.Equal(armWrites, World.Azure.State.ArmWriteCount);
        Assert.Equal(clusterWrites, World.Kubernetes.State.WriteCount);
        Assert.Contains("5 ServiceAccounts was already configured", second.ResultMessage, StringComparison.Ordinal);
        Assert.All(JsonNode.Parse(second.GetVariable("bindings")!)!.AsArray(),
            b => Assert.Equal("unchanged", (string?)b!["status"]));
    }

    [Fact]
    public async Task Run_OneIdentityRefusesWrites_OthersAreDoneAndARerunFinishesTheRest()
    {
        AddSecondIdentity();
        World.Azure.State.Deny(EmulatedWorld.ServicePrincipalObjectId,
            "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
            $"/subscriptions/{Scenario.SubscriptionId}/resourceGroups/{Scenario.IdentityResourceGroup}/providers/"
            + $"Microsoft.ManagedIdentity/userAssignedIdentities/{SecondIdentity}");

        using var failed = await RunWorkloadsAsync();

        Assert.Equal(TaskResult.Failed, failed.Result);
        Assert.Contains("3 of 5 bindings done; failed: batch/nightly, batch/reports", failed.ResultMessage,
            StringComparison.Ordinal);
        Assert.Equal(3, Credentials().Count);
        Assert.Contains(failed.Errors, e => e.Message.StartsWith("batch/nightly: ", StringComparison.Ordinal));
        var bindings = JsonNode.Parse(failed.GetVariable("bindings")!)!.AsArray();
        Assert.Equal(["changed", "changed", "changed", "failed", "failed"],
            bindings.Select(b => (string?)b!["status"]));

        World.Azure.State.ClearDenials();
        using var rerun = await RunWorkloadsAsync();

        EndToEndAssert.Succeeded(rerun);
        Assert.Equal(3, Credentials().Count);
        Assert.Equal(2, World.Azure.State.GetFederatedCredentials(
            Scenario.SubscriptionId, Scenario.IdentityResourceGroup, SecondIdentity).Count);
        Assert.Equal(["unchanged", "unchanged", "unchanged", "changed", "changed"],
            JsonNode.Parse(rerun.GetVariable("bindings")!)!.AsArray().Select(b => (string?)b!["status"]));
    }

    [Fact]
    public async Task Run_OneBindingCannotBeDoneSafely_NothingIsWrittenForAny()
    {
        AddSecondIdentity();
        World.Azure.State.AddFederatedCredential(Scenario.SubscriptionId, Scenario.IdentityResourceGroup,
            SecondIdentity, "taken", "https://other.example/issuer/", "system:serviceaccount:x:y");
        var workloads = Workloads + "\n  federatedCredentialName: taken";

        using var run = await RunWorkloadsAsync(workloads);

        Assert.Equal(TaskResult.Failed, run.Result);
        Assert.Contains("1 binding cannot be done safely, so nothing was changed", run.Errors.First().Message,
            StringComparison.Ordinal);
        Assert.Contains("batch/reports: Federated credential 'taken'", run.Errors.First().Message,
            StringComparison.Ordinal);
        Assert.Empty(Credentials());
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_BadEntries_NamesEachEntryAndLineAndWritesNothing()
    {
        const string workloads = """
            - namespace: Payments
              serviceAccountName: api
            - namespace: orders
              serviceAcountName: api
            - namespace: orders
              serviceAccountName: api
            - namespace: orders
              serviceAccountName: api
            """;

        using var run = await RunWorkloadsAsync(workloads);

        Assert.Equal(TaskResult.Failed, run.Result);
        Assert.Contains(run.Errors, e => e.Message.StartsWith(
            "Input 'workloads' entry 1 (line 1): 'namespace' ('Payments') is not a valid Kubernetes namespace name",
            StringComparison.Ordinal));
        Assert.Contains(run.Errors, e => e.Message.Contains(
            "entry 2 (line 3) has the unknown key 'serviceAcountName'", StringComparison.Ordinal));
        Assert.Contains(run.Errors, e => e.Message.Contains(
            "entry 4 (line 7) binds ServiceAccount orders/api, which entry 3 (line 5) binds already",
            StringComparison.Ordinal));
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
        Assert.DoesNotContain(World.Azure.Requests, r => r.Path.Contains("/subscriptions/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ServiceAccountOptions_SetsTenantTokenLifetimeLabelsAndAnnotations()
    {
        using var run = await RunAsync(inputs =>
        {
            inputs["annotateTenantId"] = "true";
            inputs["serviceAccountTokenExpiration"] = "2h";
            inputs["serviceAccountLabels"] = "team: payments\napp.kubernetes.io/part-of: exampleapp";
            inputs["serviceAccountAnnotations"] = "example.com/runbook: \"https://wiki.example/run\"";
        });

        EndToEndAssert.Succeeded(run);
        var metadata = (await KubectlServiceAccountAsync())["metadata"]!;
        Assert.Equal(Scenario.TenantId, (string?)metadata["annotations"]!["azure.workload.identity/tenant-id"]);
        Assert.Equal("7200",
            (string?)metadata["annotations"]!["azure.workload.identity/service-account-token-expiration"]);
        Assert.Equal("https://wiki.example/run", (string?)metadata["annotations"]!["example.com/runbook"]);
        Assert.Equal("payments", (string?)metadata["labels"]!["team"]);
        Assert.Equal("exampleapp", (string?)metadata["labels"]!["app.kubernetes.io/part-of"]);
    }

    [Fact]
    public async Task Render_WritesManifestsKubectlAccepts_AndNeverTouchesTheCluster()
    {
        AddSecondIdentity();
        var manifest = Path.Combine(Path.GetTempPath(), $"cwi-render-{Guid.NewGuid():N}", "accounts.yaml");
        try
        {
            using var run = await RunWorkloadsAsync(more: inputs =>
            {
                inputs["action"] = "render";
                inputs["manifestPath"] = manifest;
            });

            EndToEndAssert.Succeeded(run);
            Assert.Equal(manifest, run.GetVariable("manifestPath"));
            Assert.Equal(0, World.Kubernetes.State.WriteCount);
            Assert.Empty(World.Kubernetes.Requests);
            Assert.Equal(3, Credentials().Count);
            var text = await File.ReadAllTextAsync(manifest);
            Assert.Contains($"azure.workload.identity/client-id: \"{SecondClientId}\"", text, StringComparison.Ordinal);
            // Client-side validation would download the server's OpenAPI, which the emulator does not serve;
            // kubectl still decodes every document into a ServiceAccount and prints what it would apply.
            var dryRun = JsonNode.Parse(await KubectlAsync(
                "apply", "--dry-run=client", "--validate=false", "-o", "json", "-f", manifest))!;
            var items = dryRun["items"]!.AsArray();
            Assert.Equal(
                ["batch/nightly", "batch/reports", "orders/orders-api", "payments/payments-api",
                    "payments/payments-worker"],
                items.Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}")
                    .Order(StringComparer.Ordinal));
            Assert.All(items, i => Assert.Equal("ServiceAccount", (string?)i!["kind"]));
            Assert.All(items, i => Assert.Equal("true",
                (string?)i!["metadata"]!["labels"]!["azure.workload.identity/use"]));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(manifest)!, recursive: true);
        }
    }
}
