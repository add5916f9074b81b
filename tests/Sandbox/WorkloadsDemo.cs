using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>
/// The sandbox's --workloads path: one step binds five ServiceAccounts over two identities with role
/// assignments, a second run changes nothing, and a third with action remove takes it all back.
/// </summary>
internal static class WorkloadsDemo
{
    private const string BatchIdentity = "mi-aks-pri-exampleapp-batch";

    public static async Task<int> RunAsync(EmulatedWorld world, AgentHarness harness, CancellationToken ct)
    {
        var s = world.Scenario;
        world.Azure.State.AddIdentity(s.SubscriptionId, s.IdentityResourceGroup, BatchIdentity, s.Location,
            "3b7c1f0e-9a2d-4c5b-8e6f-0a1b2c3d4e5f", "6d8e0f1a-2b3c-4d5e-9f6a-7b8c9d0e1f2a", s.TenantId);
        var vault = $"/subscriptions/{s.SubscriptionId}/resourceGroups/{s.IdentityResourceGroup}/providers/"
            + "Microsoft.KeyVault/vaults/kv-exampleapp";
        var storage = $"/subscriptions/{s.SubscriptionId}/resourceGroups/{s.IdentityResourceGroup}/providers/"
            + "Microsoft.Storage/storageAccounts/stexampleapp";
        var workloads = $"""
            - namespace: payments
              serviceAccountName: payments-api
              roleAssignments:
                - role: Key Vault Secrets User
                  scope: {vault}
            - namespace: payments
              serviceAccountName: payments-worker
              roleAssignments:
                - role: Key Vault Secrets User
                  scope: {vault}
            - namespace: orders
              serviceAccountName: orders-api
              labels: {"{"}team: orders{"}"}
            - namespace: batch
              serviceAccountName: nightly
              identityName: {BatchIdentity}
              roleAssignments:
                - role: Storage Blob Data Reader
                  scope: {storage}
            - namespace: batch
              serviceAccountName: reports
              identityName: {BatchIdentity}
            """;
        void Inputs(Dictionary<string, string> inputs, string action)
        {
            inputs.Remove("namespace");
            inputs.Remove("serviceAccountName");
            inputs.Remove("federatedCredentialName");
            inputs["workloads"] = workloads;
            inputs["action"] = action;
        }

        Console.WriteLine($"  Also identity {BatchIdentity}; five bindings in one step (input workloads):");
        Console.WriteLine(string.Join('\n', workloads.Split('\n').Select(l => "    " + l)));
        Console.WriteLine();
        using var apply = await SandboxRun.RunAsync("Apply", harness, world, i => Inputs(i, "apply"), ct);
        Print(world, "after apply");
        using var again = await SandboxRun.RunAsync("Apply again (nothing should change)", harness, world,
            i => Inputs(i, "apply"), ct);
        using var remove = await SandboxRun.RunAsync("Remove", harness, world, i => Inputs(i, "remove"), ct);
        Print(world, "after remove");

        var ok = apply.Result == TaskResult.Succeeded && again.Result == TaskResult.Succeeded
            && again.ResultMessage?.Contains("nothing changed", StringComparison.Ordinal) == true
            && remove.Result == TaskResult.Succeeded;
        Console.WriteLine(ok
            ? "Sandbox: applied five bindings, the second run changed nothing, remove took them back."
            : $"Sandbox: unexpected results: {apply.Result}, {again.Result} ({again.ResultMessage}), {remove.Result}.");
        return ok ? 0 : 1;
    }

    private static void Print(EmulatedWorld world, string when)
    {
        var s = world.Scenario;
        Console.WriteLine($"== What the emulated Azure holds {when}");
        foreach (var identity in new[] { s.IdentityName, BatchIdentity })
        {
            foreach (var c in world.Azure.State.GetFederatedCredentials(s.SubscriptionId, s.IdentityResourceGroup,
                identity))
            {
                Console.WriteLine($"  {identity}: federated credential {c.Name} for {c.Subject}");
            }
        }

        foreach (var a in world.Azure.State.RoleAssignments)
        {
            Console.WriteLine($"  role assignment {a.Name}: role {a.RoleDefinitionName} for principal {a.PrincipalId} "
                + $"({a.PrincipalType}) on {a.Scope}");
        }

        Console.WriteLine();
    }
}
