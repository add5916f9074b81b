using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Tests.Binding;

public sealed class InputRulesTests
{
    [Theory]
    [InlineData("exampleapp-ns", true)]
    [InlineData("a", true)]
    [InlineData("0team", true)]
    [InlineData("Team-A", false)]
    [InlineData("team_a", false)]
    [InlineData("-team", false)]
    [InlineData("team-", false)]
    [InlineData("team.a", false)]
    [InlineData("team\n", false)]
    [InlineData("", false)]
    public void Dns1123Label_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.Dns1123Label(value) is null);

    [Fact]
    public void Dns1123Label_64Characters_Rejected() =>
        Assert.NotNull(InputRules.Dns1123Label(new string('a', 64)));

    [Theory]
    [InlineData("exampleapp-wi-sa", true)]
    [InlineData("app.wi.sa", true)]
    [InlineData("my_sa", false)]
    [InlineData("App", false)]
    [InlineData("sa.", false)]
    [InlineData("a..b", false)]
    [InlineData("sa\u0430", false)] // Cyrillic 'а' looks like Latin 'a'.
    public void Dns1123Subdomain_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.Dns1123Subdomain(value) is null);

    [Fact]
    public void Dns1123Subdomain_254Characters_Rejected() =>
        Assert.NotNull(InputRules.Dns1123Subdomain(new string('a', 254)));

    [Theory]
    [InlineData("mi-aks-pri-exampleapp-sbx-federation", true)]
    [InlineData("abc", true)]
    [InlineData("a_b-c", true)]
    [InlineData("ab", false)]
    [InlineData("-abc", false)]
    [InlineData("_abc", false)]
    [InlineData("ab.c", false)]
    [InlineData("ab c", false)]
    public void CredentialName_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.CredentialName(value) is null);

    [Fact]
    public void CredentialName_120And121Characters_LimitIs120()
    {
        Assert.Null(InputRules.CredentialName(new string('a', 120)));
        Assert.NotNull(InputRules.CredentialName(new string('a', 121)));
    }

    [Theory]
    [InlineData("https://eastus.oic.prod-aks.azure.com/t/g/", true)]
    [InlineData("https://eastus.oic.prod-aks.azure.com/t/g", true)]
    [InlineData("http://eastus.oic.prod-aks.azure.com/t/g/", false)]
    [InlineData("eastus.oic.prod-aks.azure.com/t/g/", false)]
    [InlineData(" https://issuer.example/", false)]
    [InlineData("https://issuer.example/ ", false)]
    [InlineData("https://issuer.example/?a=b", false)]
    [InlineData("https://issuer.example/#x", false)]
    [InlineData("https://", false)]
    public void Issuer_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.Issuer(value) is null);

    [Fact]
    public void Issuer_Over600Characters_Rejected() =>
        Assert.Contains("600", InputRules.Issuer("https://issuer.example/" + new string('a', 600)));

    [Theory]
    [InlineData("rg-pri-exampleapp-sbx", true)]
    [InlineData("rg(1).x", true)]
    [InlineData("rg.", false)]
    [InlineData("rg/other", false)]
    [InlineData("rg;x", false)]
    public void ResourceGroupName_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.ResourceGroupName(value) is null);

    [Theory]
    [InlineData("mi-aks-pri-exampleapp-sbx", true)]
    [InlineData("id", false)]
    [InlineData("-identity", false)]
    [InlineData("identity/x", false)]
    public void IdentityName_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.IdentityName(value) is null);

    [Theory]
    [InlineData("0b1f6471-1bf0-4dda-aec3-cb9272f09590", true)]
    [InlineData("0b1f64711bf04ddaaec3cb9272f09590", false)]
    [InlineData("not-a-guid", false)]
    public void SubscriptionId_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.SubscriptionId(value) is null);

    private const string Sub = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590";

    [Theory]
    [InlineData(Sub, true)]
    [InlineData(Sub + "/resourceGroups/rg-pri-exampleapp-sbx", true)]
    [InlineData(Sub + "/resourcegroups/rg.(x)_y", true)]
    [InlineData(Sub + "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-exampleapp", true)]
    [InlineData(Sub + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1/blobServices/default"
        + "/containers/data", true)]
    [InlineData(Sub + "/", false)]
    [InlineData("subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590", false)]
    [InlineData("/subscriptions/not-a-guid", false)]
    [InlineData(Sub + "/resourceGroups/", false)]
    [InlineData(Sub + "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults", false)]
    [InlineData(Sub + "/resourceGroups/rg/providers/KeyVault/vaults/kv", false)]
    [InlineData(Sub + "/resourceGroups/rg//providers/Microsoft.KeyVault/vaults/kv", false)]
    [InlineData(Sub + "/resourceGroups/my rg", false)]
    [InlineData(Sub + "/resourceGroups/rg\n", false)]
    [InlineData(Sub + "/providers/Microsoft.Authorization/roleAssignments/3f1e0c8a-5d2b-4c7e-9a61-2b8d4e6f0a13", false)]
    [InlineData("https://management.azure.com" + Sub, false)]
    [InlineData("", false)]
    public void RoleScope_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.RoleScope(value) is null);

    [Fact]
    public void RoleScope_TooLong_RejectedSayingTheLimit() =>
        Assert.Contains(
            "1024",
            InputRules.RoleScope(Sub + "/resourceGroups/rg/providers/Microsoft.Web/sites/" + new string('a', 1000)),
            StringComparison.Ordinal);

    [Fact]
    public void RoleScope_Invalid_ReasonSaysWhatIsExpected() =>
        Assert.Contains("/subscriptions/{subscription-guid}", InputRules.RoleScope("rg-app"), StringComparison.Ordinal);

    [Theory]
    [InlineData("Key Vault Secrets User", true)]
    [InlineData("Storage Blob Data Reader", true)]
    [InlineData("AcrPull", true)]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", true)]
    [InlineData("/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6", true)]
    [InlineData(Sub + "/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6", true)]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e", false)]
    [InlineData("4633458b17de408ab8740445c86b69e6", false)]
    [InlineData(Sub + "/providers/Microsoft.Authorization/roleDefinitions/reader", false)]
    [InlineData("/Key Vault Secrets User", false)]
    [InlineData(" Reader", false)]
    [InlineData("Reader\n", false)]
    [InlineData("", false)]
    public void Role_Value_AcceptedOrRejected(string value, bool valid) =>
        Assert.Equal(valid, InputRules.Role(value) is null);
}
