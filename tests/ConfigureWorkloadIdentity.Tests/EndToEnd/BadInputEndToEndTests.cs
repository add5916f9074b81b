using ConfigureWorkloadIdentity.Emulators.Agent;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// Bad inputs through the agent's environment: each gets its own clear error naming the input, and nothing
/// reaches Azure or the cluster (not even a read).
/// </summary>
public sealed class BadInputEndToEndTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private const string Cyrillic = "\u0430"; // Looks like a Latin 'a'.

    public static TheoryData<string, string, string> Cases => new()
    {
        { "namespace", "Team-A", "Input 'namespace' ('Team-A') is not a valid Kubernetes namespace name" },
        { "namespace", "team_a", "Input 'namespace' ('team_a') is not a valid Kubernetes namespace name" },
        { "namespace", "-team", "Input 'namespace' ('-team') is not a valid Kubernetes namespace name" },
        { "namespace", "team-", "Input 'namespace' ('team-') is not a valid Kubernetes namespace name" },
        { "namespace", "team.a", "Input 'namespace' ('team.a') is not a valid Kubernetes namespace name" },
        { "namespace", new string('n', 64), "Input 'namespace' ('nnnnnnnn" },
        { "namespace", "", "Input 'namespace' is required." },
        { "namespace", "   ", "Input 'namespace' is required." },
        { "namespace", "te" + Cyrillic + "m", "Input 'namespace' ('te\u0430m') is not a valid Kubernetes namespace" },
        { "namespace", "team\u001b[31m", "Input 'namespace' ('team\\u001b[31m') is not a valid Kubernetes" },
        { "namespace", "team; rm -rf /", "Input 'namespace' ('team; rm -rf /') is not a valid Kubernetes" },
        { "namespace", "##vso[task.complete result=Succeeded;]done", "Input 'namespace' ('##vso[task.complete" },
        { "serviceAccountName", "my_sa", "Input 'serviceAccountName' ('my_sa') is not a valid Kubernetes" },
        { "serviceAccountName", "SA", "Input 'serviceAccountName' ('SA') is not a valid Kubernetes" },
        { "serviceAccountName", "sa.", "Input 'serviceAccountName' ('sa.') is not a valid Kubernetes" },
        { "serviceAccountName", "a..b", "Input 'serviceAccountName' ('a..b') is not a valid Kubernetes" },
        { "serviceAccountName", new string('s', 254), "Input 'serviceAccountName' ('ssssssss" },
        { "serviceAccountName", "s" + Cyrillic, "Input 'serviceAccountName' ('s\u0430') is not a valid" },
        { "serviceAccountName", "sa/../../x", "Input 'serviceAccountName' ('sa/../../x') is not a valid" },
        { "serviceAccountName", "", "Input 'serviceAccountName' is required." },
        { "identityName", "ab", "Input 'identityName' ('ab') is not a valid managed identity name" },
        { "identityName", "-identity", "Input 'identityName' ('-identity') is not a valid managed identity name" },
        { "identityName", "id/../other", "Input 'identityName' ('id/../other') is not a valid managed identity" },
        { "identityName", "id%2Fx", "Input 'identityName' ('id%2Fx') is not a valid managed identity name" },
        { "identityName", new string('i', 129), "Input 'identityName' ('iiiiiiii" },
        { "identityName", "", "Input 'identityName' is required." },
        { "resourceGroup", "rg.", "Input 'resourceGroup' ('rg.') is not a valid resource group name" },
        { "resourceGroup", "rg/x", "Input 'resourceGroup' ('rg/x') is not a valid resource group name" },
        { "resourceGroup", "rg?api-version=1", "Input 'resourceGroup' ('rg?api-version=1') is not a valid" },
        { "resourceGroup", new string('r', 91), "Input 'resourceGroup' ('rrrrrrrr" },
        { "resourceGroup", "", "Input 'resourceGroup' is required." },
        { "clusterResourceGroup", "rg#x", "Input 'clusterResourceGroup' ('rg#x') is not a valid resource group" },
        { "clusterName", "", "Input 'clusterName' is required when 'issuerSource' is \"aksCluster\"" },
        { "clusterName", "-aks", "Input 'clusterName' ('-aks') is not a valid AKS cluster name" },
        { "clusterName", "aks_", "Input 'clusterName' ('aks_') is not a valid AKS cluster name" },
        { "clusterName", "aks cluster", "Input 'clusterName' ('aks cluster') is not a valid AKS cluster name" },
        { "clusterName", new string('c', 64), "Input 'clusterName' ('cccccccc" },
        { "issuerSource", "cluster", "Input 'issuerSource' ('cluster') must be \"aksCluster\" or \"issuerUrl\"." },
        { "issuerSource", "AKS", "Input 'issuerSource' ('AKS') must be \"aksCluster\" or \"issuerUrl\"." },
        { "federatedCredentialName", "a", "Input 'federatedCredentialName' ('a') is not a valid federated" },
        { "federatedCredentialName", "-abc", "Input 'federatedCredentialName' ('-abc') is not a valid federated" },
        { "federatedCredentialName", "ab.c", "Input 'federatedCredentialName' ('ab.c') is not a valid federated" },
        { "federatedCredentialName", "name with space", "Input 'federatedCredentialName' ('name with space')" },
        { "federatedCredentialName", "n\u00e4me", "Input 'federatedCredentialName' ('n\u00e4me') is not a valid" },
        { "federatedCredentialName", new string('f', 121), "Input 'federatedCredentialName' ('ffffffff" },
        { "createNamespace", "yes", "Input 'createNamespace' ('yes') must be 'true' or 'false'." },
        { "createNamespace", "1", "Input 'createNamespace' ('1') must be 'true' or 'false'." },
        { "whatIf", "maybe", "Input 'whatIf' ('maybe') must be 'true' or 'false'." },
        { "kubeconfig", "/nonexistent/kubeconfig", "Input 'kubeconfig' names '/nonexistent/kubeconfig', which" },
        { "clusterConnection", "aks", "Input 'clusterConnection' ('aks') must be \"azureResourceManager\"" },
        { "useClusterAdmin", "maybe", "Input 'useClusterAdmin' ('maybe') must be 'true' or 'false'." },
        { "verify", "on", "Input 'verify' ('on') must be 'true' or 'false'." },
        { "verifyTimeout", "5h", "Input 'verifyTimeout' ('5h') must be a duration from 10 seconds to 60 minutes" },
        { "verifyTimeout", "2s", "Input 'verifyTimeout' ('2s') must be a duration from 10 seconds to 60 minutes" },
        { "action", "delete", "Input 'action' ('delete') must be \"apply\", \"remove\" or \"render\"." },
        { "serviceAccountTokenExpiration", "30m", "Input 'serviceAccountTokenExpiration' ('30m') must be from 1 to" },
        { "serviceAccountTokenExpiration", "100000", "Input 'serviceAccountTokenExpiration' ('100000') must be" },
        { "annotateTenantId", "y", "Input 'annotateTenantId' ('y') must be 'true' or 'false'." },
        { "serviceAccountLabels", "team: [a, b]", "Input 'serviceAccountLabels': each key and value must be a" },
        { "serviceAccountLabels", "team: a b", "Input 'serviceAccountLabels': the value of 'team' ('a b') is not" },
        { "serviceAccountLabels", "azure.workload.identity/use: \"false\"", "key 'azure.workload.identity/use' is" },
        { "serviceAccountAnnotations", "bad key: x", "Input 'serviceAccountAnnotations': key 'bad key' is not a" },
        { "serviceAccountAnnotations", "a: [", "Input 'serviceAccountAnnotations' is not valid YAML: line " },
        { "roleAssignments", "- role: Reader", "Input 'roleAssignments': the item on line 1 needs both 'role'" },
        { "roleAssignments", "- role: Reader\n  scope: /subscriptions/not-a-guid", "scope '/subscriptions/not-a-g" },
        { "roleAssignments", "- role: /providers/Microsoft.Authorization/roleDefinitions/x\n  scope: /subscriptions/"
            + "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "is neither a role GUID nor a roleDefinitions id" },
        { "roleAssignments", "- role: Reader\n  scope: /subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/"
            + "resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/../../..", "which would change the scope" },
        { "roleAssignments", "- role: Reader\n  scope: /subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/"
            + "resourceGroups/rg?api-version=1", "contains '.', '..', '?', '#', '%'" },
        { "roleAssignments", "- role: Reader\n  scope: /subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/"
            + "resourceGroups/rg%2F..", "which would change the scope the role is given on" },
        { "manifestPath", "/proc/no-such-folder/accounts.yaml", "Input 'manifestPath' ('/proc/no-such-folder/" },
        { "identityLocation", "west-europe!", "Input 'identityLocation' ('west-europe!') is not an Azure region" },
        { "workloads", "namespace: a", "Input 'workloads' (line 1) must be a YAML list with one entry per workload" },
        { "workloads", "- namespace: a\n  serviceAccountName: b\n  identityResourceId: /x",
            "'identityResourceId' ('/x') is not the resource id of a user-assigned managed identity" },
    };

    public static TheoryData<string, string> IssuerCases => new()
    {
        { "http://eastus.oic.prod-aks.azure.com/t/g/", "is not an https URL" },
        { "eastus.oic.prod-aks.azure.com/t/g/", "is not an https URL" },
        { "https://issuer.example/?a=b", "has a query or fragment" },
        { "https://issuer.example/#f", "has a query or fragment" },
        { "https://issuer.example/a\u00a0b/", "contains whitespace or control characters" },
        { "https://issuer.example/" + new string('a', 600), "is longer than 600 characters" },
        { "https://user:pw@issuer.example/", "carries a user name or password" },
        { "", "Input 'issuerUrl' is required when 'issuerSource' is \"issuerUrl\"." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Run_BadInput_ClearErrorAndNoRequest(string input, string value, string expected)
    {
        using var run = await RunAsync(inputs =>
        {
            inputs[input] = value;
            if (input is "kubeconfig")
            {
                // Read only for a kubeconfig connection; the default reaches the cluster through ARM.
                inputs["clusterConnection"] = "kubeconfig";
            }

            if (input is "manifestPath")
            {
                inputs["action"] = "render"; // read only for render
            }

            if (input is "workloads")
            {
                // Each entry names its own ServiceAccount and credential.
                inputs.Remove("serviceAccountName");
                inputs.Remove("federatedCredentialName");
            }
        });

        AssertRejected(run, input, expected);
    }

    [Theory]
    [MemberData(nameof(IssuerCases))]
    public async Task Run_BadIssuer_ClearErrorAndNoRequest(string value, string expected)
    {
        using var run = await RunAsync(inputs =>
        {
            inputs["issuerSource"] = "issuerUrl";
            inputs["issuerUrl"] = value;
        });

        AssertRejected(run, "issuerUrl", expected);
    }

    private Task<TaskRun> RunAsync(Action<Dictionary<string, string>> inputs) =>
        fixture.Harness.RunAsync(fixture.World.CreateJob(inputs));

    private void AssertRejected(TaskRun run, string input, string expected)
    {
        var error = Assert.Single(run.Errors).Message;
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains($"'{input}'", error, StringComparison.Ordinal);
        Assert.Equal(TaskResult.Failed, run.Result);
        Assert.Equal("1 input error; nothing was changed.", run.ResultMessage);
        Assert.Empty(run.CommandFailures);
        Assert.DoesNotContain(run.Lines, l => l.StartsWith("##vso[task.setvariable", StringComparison.Ordinal));
        Assert.Empty(fixture.World.Azure.Requests);
        Assert.Empty(fixture.World.Kubernetes.Requests);
    }
}
