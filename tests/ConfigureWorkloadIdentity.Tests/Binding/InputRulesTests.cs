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
}
