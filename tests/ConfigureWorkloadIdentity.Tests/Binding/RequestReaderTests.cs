using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Tests.Binding;

public sealed class RequestReaderTests
{
    private const string Subscription = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";

    [Fact]
    public void Read_ReferenceInputs_BuildsTheBinding()
    {
        var request = RequestReader.Read(Valid(), Subscription);

        Assert.Equal("system:serviceaccount:exampleapp-ns:exampleapp-wi-sa", request.Bindings[0].Subject);
        Assert.Equal("rg-pri-exampleapp-sbx", request.Bindings[0].Cluster!.ResourceGroup);
        Assert.Equal(
            "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-pri-exampleapp-sbx/providers/"
            + "Microsoft.ManagedIdentity/userAssignedIdentities/mi-aks-pri-exampleapp-sbx",
            request.Bindings[0].Identity.ResourceId);
        Assert.True(request.Bindings[0].CreateNamespace);
        Assert.Null(request.Bindings[0].FederatedCredentialName);
    }

    [Fact]
    public void Read_IssuerUrlSource_KeepsTheIssuerVerbatim()
    {
        var inputs = Valid();
        inputs["issuerSource"] = "issuerUrl";
        inputs["issuerUrl"] = "https://eastus.oic.prod-aks.azure.com/t/g/";
        inputs["clusterConnection"] = "kubeconfig";
        inputs.Remove("clusterName");

        var request = RequestReader.Read(inputs, Subscription);

        Assert.Null(request.Bindings[0].Cluster);
        Assert.Equal("https://eastus.oic.prod-aks.azure.com/t/g/", request.Bindings[0].IssuerUrl);
    }

    [Theory]
    [InlineData("namespace", "", "Input 'namespace' is required.")]
    [InlineData("namespace", "Team-A", "Input 'namespace' ('Team-A') is not a valid Kubernetes namespace name")]
    [InlineData("serviceAccountName", "my_sa", "Input 'serviceAccountName' ('my_sa') is not a valid Kubernetes")]
    [InlineData("identityName", "", "Input 'identityName' is required.")]
    [InlineData("resourceGroup", "rg.", "Input 'resourceGroup' ('rg.') is not a valid resource group name")]
    [InlineData("clusterName", "", "Input 'clusterName' is required when 'issuerSource' is \"aksCluster\"")]
    [InlineData("issuerSource", "cluster", "Input 'issuerSource' ('cluster') must be \"aksCluster\" or \"issuerUrl\".")]
    [InlineData("createNamespace", "yes", "Input 'createNamespace' ('yes') must be 'true' or 'false'.")]
    [InlineData("federatedCredentialName", "a", "Input 'federatedCredentialName' ('a') is not a valid federated")]
    [InlineData("clusterConnection", "aks", "Input 'clusterConnection' ('aks') must be \"azureResourceManager\"")]
    [InlineData("useClusterAdmin", "1", "Input 'useClusterAdmin' ('1') must be 'true' or 'false'.")]
    public void Read_BadInput_NamesTheInput(string input, string value, string expectedStart)
    {
        var inputs = Valid();
        inputs[input] = value;

        var ex = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(input, error.Input);
        Assert.StartsWith(expectedStart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DefaultClusterConnection_ReachesTheAksClusterThroughArm()
    {
        var request = RequestReader.Read(Valid(), Subscription);

        Assert.Equal(ClusterConnectionKind.AzureResourceManager, request.ClusterConnection);
        Assert.Equal("aks-pri-exampleapp-sbx", request.AksCluster?.Name);
        Assert.False(request.UseClusterAdmin);
        Assert.Null(request.KubeconfigPath);
    }

    [Fact]
    public void Read_ArmClusterConnectionWithIssuerUrl_StillNeedsTheClusterName()
    {
        var inputs = Valid();
        inputs["issuerSource"] = "issuerUrl";
        inputs["issuerUrl"] = "https://eastus.oic.prod-aks.azure.com/t/g/";
        inputs.Remove("clusterName");

        var ex = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("clusterName", error.Input);
        Assert.Contains("'clusterConnection' is \"azureResourceManager\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KubeconfigConnection_MissingFile_NamesTheInput()
    {
        var inputs = Valid();
        inputs["clusterConnection"] = "kubeconfig";
        inputs["kubeconfig"] = "/nonexistent/kubeconfig";

        var ex = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        Assert.StartsWith("Input 'kubeconfig' names '/nonexistent/kubeconfig'", Assert.Single(ex.Errors).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Read_KubeconfigInputsWithArmConnection_AreIgnored()
    {
        var inputs = Valid();
        inputs["kubeconfig"] = "/nonexistent/kubeconfig";
        inputs["kubeconfigContext"] = "other";

        var request = RequestReader.Read(inputs, Subscription);

        Assert.Null(request.KubeconfigPath);
        Assert.Null(request.KubeconfigContext);
    }

    [Theory]
    [InlineData("", "Input 'kubernetesServiceConnection' is required when 'clusterConnection'")]
    [InlineData("my-connection", "Input 'kubernetesServiceConnection' ('my-connection') is not a service")]
    public void Read_KubernetesConnectionWithoutId_NamesTheInput(string value, string expected)
    {
        var inputs = Valid();
        inputs["clusterConnection"] = "kubernetesServiceConnection";
        inputs["kubernetesServiceConnection"] = value;

        var ex = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        Assert.StartsWith(expected, Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralBadInputs_ReportsAllAtOnce()
    {
        var inputs = Valid();
        inputs["namespace"] = "Bad";
        inputs["serviceAccountName"] = "";

        var ex = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        Assert.Equal(["namespace", "serviceAccountName"], ex.Errors.Select(e => e.Input));
    }

    [Fact]
    public void Read_IssuerWithTrailingSpace_Rejected()
    {
        var inputs = Valid();
        inputs["issuerSource"] = "issuerUrl";
        inputs["issuerUrl"] = "https://issuer.example/ ";

        var ex = Assert.Throws<InputValidationException>(() => RequestReader.Read(inputs, Subscription));

        Assert.Equal("issuerUrl", Assert.Single(ex.Errors).Input);
    }

    [Fact]
    public void Echo_ControlCharactersAndLongValues_MadeVisibleAndShort()
    {
        Assert.Equal("a\\u000ab", RequestReader.Echo("a\nb"));
        Assert.Equal(83, RequestReader.Echo(new string('x', 500)).Length);
    }

    private static Dictionary<string, string> Valid() => new()
    {
        ["resourceGroup"] = "rg-pri-exampleapp-sbx",
        ["identityName"] = "mi-aks-pri-exampleapp-sbx",
        ["issuerSource"] = "aksCluster",
        ["clusterName"] = "aks-pri-exampleapp-sbx",
        ["namespace"] = "exampleapp-ns",
        ["serviceAccountName"] = "exampleapp-wi-sa",
        ["createNamespace"] = "true",
    };
}
