using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Azure;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// The whole lifecycle through the real task: create a missing identity, grant it roles, then remove the bindings
/// and leave the world as it was (except for the namespaces, which are never deleted).
/// </summary>
public sealed class LifecycleEndToEndTests : EndToEndTestBase
{
    private string VaultScope =>
        $"/subscriptions/{Scenario.SubscriptionId}/resourceGroups/{Scenario.IdentityResourceGroup}/providers/"
        + "Microsoft.KeyVault/vaults/kv-exampleapp";

    private string Roles => $"""
        - role: Key Vault Secrets User
          scope: {VaultScope}
        """;

    [Fact]
    public async Task Apply_MissingIdentityWithCreateIdentity_CreatesItWaitsForItAndBindsIt()
    {
        World.Azure.State.PendingIdentityNotVisibleFailures = 1;
        World.Azure.State.PendingPrincipalNotFoundFailures = 1; // the new principal has not replicated yet

        using var run = await RunAsync(inputs =>
        {
            inputs["identityName"] = "id-created";
            inputs["createIdentity"] = "true";
            inputs["identityTags"] = "owner: platform";
            inputs["roleAssignments"] = Roles;
        });

        EndToEndAssert.Succeeded(run);
        var identity = World.Azure.State.GetIdentity(Scenario.SubscriptionId, Scenario.IdentityResourceGroup,
            "id-created");
        Assert.NotNull(identity);
        Assert.Equal(Scenario.Location, identity.Location);
        var credential = Assert.Single(World.Azure.State.GetFederatedCredentials(
            Scenario.SubscriptionId, Scenario.IdentityResourceGroup, "id-created"));
        Assert.Equal(Scenario.Subject, credential.Subject);
        var metadata = (await KubectlServiceAccountAsync())["metadata"]!;
        Assert.Equal(identity.ClientId, (string?)metadata["annotations"]!["azure.workload.identity/client-id"]);
        var assignment = Assert.Single(World.Azure.State.RoleAssignments);
        Assert.Equal(identity.PrincipalId, assignment.PrincipalId);
        Assert.Equal("ServicePrincipal", assignment.PrincipalType);
        Assert.Equal(BuiltInRoles.KeyVaultSecretsUser, assignment.RoleDefinitionName);
        Assert.Equal(identity.ClientId, run.GetVariable("clientId"));
        Assert.Contains(run.Lines, l => l.StartsWith("Identity id-created (resource group", StringComparison.Ordinal)
            && l.Contains(": created in " + Scenario.Location, StringComparison.Ordinal));
        Assert.Contains(run.Lines, l => l.StartsWith("Verified: ", StringComparison.Ordinal));
        Assert.Equal(2, World.Azure.Requests.Count(r => r.Method == "PUT"
            && r.Path.Contains("/roleAssignments/", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Apply_RoleAssignments_AssignsOnceAndARerunChangesNothing()
    {
        using var first = await RunAsync(inputs => inputs["roleAssignments"] = Roles);
        EndToEndAssert.Succeeded(first);
        var assignment = Assert.Single(World.Azure.State.RoleAssignments);
        Assert.Equal(Scenario.PrincipalId, assignment.PrincipalId);
        Assert.Equal(VaultScope, assignment.Scope, ignoreCase: true);
        var writes = World.Azure.State.ArmWriteCount;

        using var second = await RunAsync(inputs => inputs["roleAssignments"] = Roles);

        EndToEndAssert.Succeeded(second);
        Assert.Equal(writes, World.Azure.State.ArmWriteCount);
        Assert.Single(World.Azure.State.RoleAssignments);
        Assert.Contains(second.Lines, l => l.StartsWith(
            $"Role Key Vault Secrets User on {VaultScope}: unchanged (assignment {assignment.Name}",
            StringComparison.Ordinal));
        Assert.Contains("nothing changed", second.ResultMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_MisspeltRole_StopsBeforeAnyWrite()
    {
        using var run = await RunAsync(inputs => inputs["roleAssignments"] = Roles.Replace(
            "Key Vault Secrets User", "Key Vault Secret User", StringComparison.Ordinal));

        EndToEndAssert.FailedWith(run, "Key Vault Secret User", "Nothing was changed.");
        var summary = Assert.Single(run.Summaries).Content;
        Assert.StartsWith("### Workload identity: failed", summary, StringComparison.Ordinal);
        Assert.Contains("Key Vault Secret User", summary, StringComparison.Ordinal);
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Remove_AfterApply_LeavesTheWorldAsBeforeExceptTheNamespace()
    {
        World.Azure.State.AddRoleAssignment(VaultScope, Guid.NewGuid().ToString(), BuiltInRoles.KeyVaultSecretsUser,
            "0f0f0f0f-1111-2222-3333-444444444444"); // someone else's, to be left alone
        World.Azure.State.AddFederatedCredential(Scenario.SubscriptionId, Scenario.IdentityResourceGroup,
            Scenario.IdentityName, "other-workload", Scenario.IssuerUrl, "system:serviceaccount:other:sa");
        using (var apply = await RunAsync(inputs => inputs["roleAssignments"] = Roles))
        {
            EndToEndAssert.Succeeded(apply);
        }

        Assert.Equal(2, World.Azure.State.RoleAssignments.Count);

        using var whatIf = await RunAsync(inputs =>
        {
            inputs["action"] = "remove";
            inputs["whatIf"] = "true";
            inputs["roleAssignments"] = Roles;
        });
        EndToEndAssert.Succeeded(whatIf);
        Assert.Equal(2, Credentials().Count);
        Assert.Contains(whatIf.Lines, l => l.EndsWith(": would be deleted", StringComparison.Ordinal));

        using var remove = await RunAsync(inputs =>
        {
            inputs["action"] = "remove";
            inputs["roleAssignments"] = Roles;
        });

        EndToEndAssert.Succeeded(remove);
        Assert.Equal("other-workload", Assert.Single(Credentials()).Name);
        Assert.Equal("0f0f0f0f-1111-2222-3333-444444444444", Assert.Single(World.Azure.State.RoleAssignments)
            .PrincipalId);
        var (code, _, stderr) = await World.Kubectl.RunAsync(
            ["get", "serviceaccount", Scenario.ServiceAccountName, "-n", Scenario.Namespace]);
        Assert.NotEqual(0, code);
        Assert.Contains("NotFound", stderr, StringComparison.Ordinal);
        await KubectlAsync("get", "namespace", Scenario.Namespace); // namespaces are never deleted
        Assert.Contains(remove.Lines, l => l.EndsWith(": deleted (nothing else owned any of it)",
            StringComparison.Ordinal));

        using var again = await RunAsync(inputs => inputs["action"] = "remove");
        EndToEndAssert.Succeeded(again);
        Assert.Contains("nothing changed", again.ResultMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_ServiceAccountOthersOwn_TakesBackOnlyOurFields()
    {
        await KubectlAsync("create", "namespace", Scenario.Namespace);
        await KubectlAsync("create", "serviceaccount", Scenario.ServiceAccountName, "-n", Scenario.Namespace);
        await KubectlAsync("label", "serviceaccount", Scenario.ServiceAccountName, "-n", Scenario.Namespace,
            "app.kubernetes.io/managed-by=Helm");
        using (var apply = await RunAsync())
        {
            EndToEndAssert.Succeeded(apply);
        }

        using var remove = await RunAsync(inputs => inputs["action"] = "remove");

        EndToEndAssert.Succeeded(remove);
        var metadata = (await KubectlServiceAccountAsync())["metadata"]!;
        Assert.Equal("Helm", (string?)metadata["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Null(metadata["annotations"]?["azure.workload.identity/client-id"]);
        Assert.Null(metadata["labels"]!["azure.workload.identity/use"]);
        Assert.Empty(Credentials());
        var bindings = JsonNode.Parse(remove.GetVariable("bindings")!)!.AsArray();
        Assert.Equal("changed", (string?)Assert.Single(bindings)!["status"]);
    }
}
