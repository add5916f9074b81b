using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.Kubernetes;
using ConfigureWorkloadIdentity.Emulators.Scenario;
using ConfigureWorkloadIdentity.Tests.LeastPrivilege;
using static ConfigureWorkloadIdentity.Tests.LeastPrivilege.Permissions;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// Runs the task with exactly the permissions of docs/least-privilege.md (<see cref="Permissions"/>): the emulators
/// grant the service connection and the kubeconfig's user nothing else, answering the real 403s.
/// </summary>
public abstract class LeastPrivilegeEndToEndTestBase : EndToEndTestBase
{
    protected const string CreatedIdentity = "id-created";
    protected const string HintWorkload = "api";

    protected string VaultScope =>
        $"/subscriptions/{Scenario.SubscriptionId}/resourceGroups/{Scenario.IdentityResourceGroup}/providers/"
        + "Microsoft.KeyVault/vaults/kv-exampleapp";

    protected static LeastPrivilegeSetup SetupFor(string when) => when switch
    {
        Permissions.CreateIdentity => LeastPrivilegeSetup.CreateIdentity,
        WorkloadHints => LeastPrivilegeSetup.Hints,
        Always or ClusterNamed or UserCredentials or IdentityExists or CredentialChanges or Roles or RoleMissing
            or ServiceAccountMissing or NamespaceMissing or ServiceAccountChanges or Verify or DryRun =>
            LeastPrivilegeSetup.Reference,
        _ => throw new InvalidOperationException($"No setup makes the default mode need a permission when {when}."),
    };

    protected void AssertNothingWritten()
    {
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    /// <summary>Lets the service connection and the kubeconfig's user do exactly what a mode's rows list.</summary>
    protected void GrantOnly(
        string mode,
        LeastPrivilegeSetup setup,
        AzurePermission? withoutAzure = null,
        KubernetesPermission? withoutKubernetes = null)
    {
        var identity = setup == LeastPrivilegeSetup.CreateIdentity ? CreatedIdentity : Scenario.IdentityName;
        var group = $"/subscriptions/{Scenario.SubscriptionId}/resourceGroups/{Scenario.IdentityResourceGroup}";
        var cluster = $"/subscriptions/{Scenario.SubscriptionId}/resourceGroups/{Scenario.ClusterResourceGroup}"
            + $"/providers/Microsoft.ContainerService/managedClusters/{Scenario.ClusterName}";
        World.Azure.State.AllowOnly(EmulatedWorld.ServicePrincipalObjectId, AzureFor(mode)
            .Where(p => p != withoutAzure)
            .Select(p => new AccessGrant(p.Action, p.Scope switch
            {
                Identity => $"{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identity}",
                IdentityGroup => group,
                Cluster => cluster,
                _ => VaultScope,
            })));
        World.Kubernetes.AllowOnly(EmulatedWorld.KubernetesUser, KubernetesFor(mode)
            .Where(p => p != withoutKubernetes)
            .Select(p => new KubernetesGrant(
                p.Verb, p.Group, p.Resource, p.Scope == ClusterScope ? null : Scenario.Namespace)));
    }

    protected Task<TaskRun> RunAsync(LeastPrivilegeSetup setup, Action<Dictionary<string, string>> inputs) =>
        RunAsync(setup, job => inputs(job.Inputs));

    protected Task<TaskRun> RunAsync(LeastPrivilegeSetup setup, Action<AgentJob>? change = null)
    {
        var job = World.CreateJob(inputs =>
        {
            inputs["roleAssignments"] = $"- role: Key Vault Secrets User\n  scope: {VaultScope}\n";
            if (setup == LeastPrivilegeSetup.CreateIdentity)
            {
                inputs["identityName"] = CreatedIdentity;
                inputs["createIdentity"] = "true";
            }
        });
        if (setup == LeastPrivilegeSetup.Hints)
        {
            var state = World.Kubernetes.State;
            state.SeedServiceAccount(Scenario.Namespace, Scenario.ServiceAccountName);
            state.AddWorkload("Deployment", Scenario.Namespace, HintWorkload, Scenario.ServiceAccountName);
            job.Variables["system.debug"] = "true";
        }

        change?.Invoke(job);
        return Harness.RunAsync(job);
    }
}
