using System.Net;
using ConfigureWorkloadIdentity.Emulators.Azure;
using Xunit;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

public sealed class ContainerServiceProviderTests : IAsyncLifetime
{
    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync() => _azure = await StartAsync();

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Fact]
    public async Task GetCluster_Seeded_ReturnsRealisticBody()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, ClusterPath(), apiVersion: "2025-07-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal(
            $"/subscriptions/{SubscriptionId}/resourcegroups/{ResourceGroup}/providers/"
            + $"Microsoft.ContainerService/managedClusters/{ClusterName}",
            body["id"]!.GetValue<string>());
        Assert.Equal(ClusterName, body["name"]!.GetValue<string>());
        Assert.Equal("Microsoft.ContainerService/ManagedClusters", body["type"]!.GetValue<string>());
        Assert.Equal("eastus", body["location"]!.GetValue<string>());
        var properties = body["properties"]!;
        Assert.Equal("Succeeded", properties["provisioningState"]!.GetValue<string>());
        Assert.NotEmpty(properties["kubernetesVersion"]!.GetValue<string>());
        Assert.EndsWith(".azmk8s.io", properties["fqdn"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(properties["oidcIssuerProfile"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(IssuerUrl, properties["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>());
        Assert.True(properties["securityProfile"]!["workloadIdentity"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("msi", properties["servicePrincipalProfile"]!["clientId"]!.GetValue<string>());
        Assert.False(properties["disableLocalAccounts"]!.GetValue<bool>());
        Assert.Null(properties["aadProfile"]);
    }

    [Fact]
    public async Task GetCluster_ApiVersion20221101_OmitsWorkloadIdentity()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, ClusterPath(), apiVersion: "2022-11-01");

        var properties = (await ReadJsonAsync(response))["properties"]!;
        Assert.Null(properties["securityProfile"]!["workloadIdentity"]);
        Assert.Equal(IssuerUrl, properties["oidcIssuerProfile"]!["issuerURL"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetCluster_OidcDisabledWithAadProfile_ReflectsState()
    {
        var cluster = _azure.State.GetCluster(SubscriptionId, ResourceGroup, ClusterName)!;
        _azure.State.SetCluster(cluster with
        {
            IssuerUrl = null,
            OidcIssuerEnabled = false,
            DisableLocalAccounts = true,
            AadProfile = new ManagedClusterAadProfile(true, true, ["g1"], TenantId),
        });

        using var response = await _azure.SendArmAsync(HttpMethod.Get, ClusterPath(), apiVersion: "2025-07-01");

        var properties = (await ReadJsonAsync(response))["properties"]!;
        Assert.False(properties["oidcIssuerProfile"]!["enabled"]!.GetValue<bool>());
        Assert.Null(properties["oidcIssuerProfile"]!["issuerURL"]);
        Assert.True(properties["disableLocalAccounts"]!.GetValue<bool>());
        Assert.True(properties["aadProfile"]!["managed"]!.GetValue<bool>());
        Assert.True(properties["aadProfile"]!["enableAzureRBAC"]!.GetValue<bool>());
        Assert.Equal("g1", properties["aadProfile"]!["adminGroupObjectIDs"]![0]!.GetValue<string>());
        Assert.Equal(TenantId, properties["aadProfile"]!["tenantID"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetCluster_Missing_Returns404ResourceNotFound()
    {
        using var response = await _azure.SendArmAsync(
            HttpMethod.Get, ClusterPath("aks-missing"), apiVersion: "2025-07-01");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            ("ResourceNotFound",
                "The Resource 'Microsoft.ContainerService/managedClusters/aks-missing' under resource group "
                + $"'{ResourceGroup}' was not found. For more details please go to "
                + "https://aka.ms/ARMResourceNotFoundFix"),
            await ReadArmErrorAsync(response));
    }
}
