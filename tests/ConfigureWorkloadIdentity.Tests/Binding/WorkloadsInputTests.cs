using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Tests.Binding;

/// <summary>The workloads list and the other YAML inputs, read through <see cref="RequestReader"/>.</summary>
public sealed class WorkloadsInputTests
{
    private const string Subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
    private const string Other = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    private const string IdentityId =
        $"/subscriptions/{Other}/resourceGroups/rg-x/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x";

    [Fact]
    public void Read_Workloads_TakesStepInputsAsDefaultsAndEntryValuesOverThem()
    {
        var request = Read($"""
            - serviceAccountName: api
            - namespace: batch
              serviceAccountName: nightly
              identityName: id-batch
              resourceGroup: rg-batch
              federatedCredentialName: nightly-fic
              labels: {"{"}team: batch{"}"}
              roleAssignments:
                - role: Key Vault Secrets User
                  scope: /subscriptions/{Subscription}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv
            - serviceAccountName: reports
              identityResourceId: {IdentityId}
            """);

        Assert.Equal(3, request.Bindings.Count);
        var (api, nightly, reports) = (request.Bindings[0], request.Bindings[1], request.Bindings[2]);
        Assert.Equal("system:serviceaccount:apps:api", api.Subject);
        Assert.Equal(new IdentityReference(Subscription, "rg-step", "id-step"), api.Identity);
        Assert.Equal(new IdentityReference(Subscription, "rg-batch", "id-batch"), nightly.Identity);
        Assert.Equal("nightly-fic", nightly.FederatedCredentialName);
        Assert.Equal("batch", nightly.Labels["team"]);
        Assert.Equal("step", nightly.Labels["tier"]); // the step's labels apply to every entry
        Assert.Equal(new RoleGrant("Key Vault Secrets User",
            $"/subscriptions/{Subscription}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"),
            Assert.Single(nightly.Roles));
        Assert.Equal(new IdentityReference(Other, "rg-x", "id-x"), reports.Identity);
        Assert.All(request.Bindings, b => Assert.Equal("aks-1", b.Cluster!.Name));
    }

    [Fact]
    public void Read_WorkloadsWithAnchorsAndMergeKeys_SharesTheCommonSettings()
    {
        var request = Read("""
            - &payments
              namespace: payments
              serviceAccountName: api
              identityName: id-payments
              labels: &team {team: payments}
            - <<: *payments
              serviceAccountName: worker
              labels: *team
            """);

        Assert.Equal(["payments/api", "payments/worker"], request.Bindings.Select(b => b.ServiceAccount));
        Assert.All(request.Bindings, b => Assert.Equal("id-payments", b.Identity.Name));
        Assert.Equal("payments", request.Bindings[1].Labels["team"]);
    }

    [Theory]
    [InlineData("[]", "Input 'workloads' (line 1) must be a YAML list with one entry per workload")]
    [InlineData("- serviceAccountName: api\n  namespace: [a]",
        "Input 'workloads' entry 1 (line 1): 'namespace' (line 2) must be a single value, not a list or mapping.")]
    [InlineData("- serviceAccountName: api\n  Namespace: a",
        "Input 'workloads' entry 1 (line 1) has the unknown key 'Namespace'; did you mean 'namespace'?")]
    [InlineData("- serviceAccountName: api\n  serviceAccountName: web",
        "Input 'workloads' is not valid YAML: line 2, column 3: Duplicate key serviceAccountName")]
    [InlineData("- namespace: a", "Input 'workloads' entry 1 (line 1) needs 'serviceAccountName'.")]
    [InlineData("- just a string", "Input 'workloads' entry 1 (line 1) must be a mapping of namespace, ")]
    [InlineData("- serviceAccountName: api\n  labels: [a]",
        "Input 'workloads' entry 1 (line 1): 'labels' must be a mapping of keys to values")]
    [InlineData("- serviceAccountName: api\n  annotations: {azure.workload.identity/client-id: x}",
        "Input 'workloads' entry 1 (line 1): 'annotations': key 'azure.workload.identity/client-id' is set by the "
        + "task itself")]
    [InlineData("- serviceAccountName: api\n  federatedCredentialName: a.b",
        "Input 'workloads' entry 1 (line 1): 'federatedCredentialName' ('a.b') is not a valid federated credential")]
    [InlineData("- serviceAccountName: api\n  identityName: id-a\n  identityResourceId: /x",
        "Input 'workloads' entry 1 (line 1) gives both 'identityResourceId' and 'identityName'/'resourceGroup'")]
    [InlineData("- serviceAccountName: api\n  roleAssignments: {role: Reader}",
        "Input 'workloads' entry 1 (line 1): 'roleAssignments' must be a YAML list of 'role' and 'scope'")]
    [InlineData("- serviceAccountName: api\n- serviceAccountName: api",
        "Input 'workloads' entry 2 (line 2) binds ServiceAccount apps/api, which entry 1 (line 1) binds already")]
    [InlineData("- serviceAccountName: 'api", "Input 'workloads' is not valid YAML: line ")]
    [InlineData("- serviceAccountName: api\n  <<: 5",
        "Input 'workloads' entry 1 (line 1): a merge key '<<' must name a mapping")]
    [InlineData("- serviceAccountName: api\n  federatedCredentialName: Shared\n- serviceAccountName: web\n"
        + "  federatedCredentialName: shared",
        "Input 'workloads' entry 2 (line 3) names federated credential 'shared', which entry 1 (line 1) names")]
    public void Read_BadWorkloads_NamesTheEntryLineAndFix(string workloads, string expected)
    {
        var error = Assert.Throws<InputValidationException>(() => Read(workloads));

        Assert.Contains(error.Errors, e => e.Message.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WorkloadsWithStepServiceAccount_SaysToGiveItPerEntry()
    {
        var inputs = Inputs("- serviceAccountName: api");
        inputs["serviceAccountName"] = "web";

        var error = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        Assert.Equal(
            "Input 'serviceAccountName' cannot be used with 'workloads': give 'serviceAccountName' in each entry of "
            + "'workloads' instead.",
            Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void Read_WorkloadsWithoutDefaultsOrEntryValues_NamesEachMissingValue()
    {
        var inputs = Inputs("- serviceAccountName: api");
        inputs.Remove("resourceGroup");
        inputs.Remove("identityName");
        inputs.Remove("namespace");
        inputs["clusterResourceGroup"] = "rg-cluster";

        var error = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        Assert.Equal(
        [
            "Input 'workloads' entry 1 (line 1) needs 'resourceGroup' (or the step's input 'resourceGroup' as "
            + "default).",
            "Input 'workloads' entry 1 (line 1) needs 'identityName' or 'identityResourceId' (or the step's input "
            + "'identityName' as default).",
            "Input 'workloads' entry 1 (line 1) needs 'namespace' (or the step's input 'namespace' as default).",
        ], error.Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("90m", 5400)]
    [InlineData("24h", 86400)]
    [InlineData("7200s", 7200)]
    public void Read_TokenExpiration_AcceptsTheWebhooksRange(string value, int seconds)
    {
        var inputs = Inputs(null);
        inputs["serviceAccountTokenExpiration"] = value;

        var lifetime = RequestReader.Read(inputs, Subscription).Bindings[0].TokenExpiration;

        Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
    }

    [Theory]
    [InlineData("serviceAccountAnnotations", "a: [", "Input 'serviceAccountAnnotations' is not valid YAML: line ")]
    [InlineData("serviceAccountLabels", "- a", "Input 'serviceAccountLabels' must be a mapping of keys")]
    [InlineData("identityTags", "env: [a]", "Input 'identityTags': each key and value must be a single value.")]
    public void Read_BadPairs_NamesTheInput(string input, string value, string expected)
    {
        var inputs = Inputs(null);
        inputs[input] = value;

        var error = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        Assert.StartsWith(expected, Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Render_DefaultsTheManifestToTheWorkingDirectory()
    {
        var inputs = Inputs(null);
        inputs["action"] = "Render";

        var request = RequestReader.Read(inputs, Subscription);

        Assert.Equal(StepAction.Render, request.Action);
        Assert.Equal(Path.GetFullPath("workload-identity.yaml"), request.ManifestPath);
    }

    private static RunRequest Read(string workloads) => RequestReader.Read(Inputs(workloads), Subscription);

    private static Dictionary<string, string> Inputs(string? workloads)
    {
        var inputs = new Dictionary<string, string>
        {
            ["resourceGroup"] = "rg-step",
            ["identityName"] = "id-step",
            ["clusterName"] = "aks-1",
            ["namespace"] = "apps",
            ["serviceAccountLabels"] = "tier: step",
        };
        if (workloads is null)
        {
            inputs["serviceAccountName"] = "api";
        }
        else
        {
            inputs["workloads"] = workloads;
        }

        return inputs;
    }
}
