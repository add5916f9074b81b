using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Tests.Binding;

public sealed class FederatedCredentialNamingTests
{
    [Fact]
    public void Default_PlainNames_JoinsThem() =>
        Assert.Equal(
            "mi-aks-pri-exampleapp-sbx-exampleapp-ns-exampleapp-wi-sa",
            FederatedCredentialNaming.Default("mi-aks-pri-exampleapp-sbx", "exampleapp-ns", "exampleapp-wi-sa"));

    [Fact]
    public void Default_SameInputs_SameName() =>
        Assert.Equal(
            FederatedCredentialNaming.Default("id1", "ns", "a.b"),
            FederatedCredentialNaming.Default("id1", "ns", "a.b"));

    [Fact]
    public void Default_DottedServiceAccount_ValidAndDistinctFromDashed()
    {
        var dotted = FederatedCredentialNaming.Default("id1", "ns", "a.b");
        var dashed = FederatedCredentialNaming.Default("id1", "ns", "a-b");

        Assert.Null(InputRules.CredentialName(dotted));
        Assert.NotEqual(dotted, dashed);
    }

    [Fact]
    public void Default_VeryLongInputs_FitsTheArmRule()
    {
        var name = FederatedCredentialNaming.Default(new string('i', 128), new string('n', 63), new string('s', 253));

        Assert.Null(InputRules.CredentialName(name));
        Assert.Equal(120, name.Length);
    }

    [Fact]
    public void WithIssuer_TwoIssuers_DifferentValidNames()
    {
        var first = FederatedCredentialNaming.WithIssuer("id-ns-sa", "https://a.example/1/");
        var second = FederatedCredentialNaming.WithIssuer("id-ns-sa", "https://a.example/2/");

        Assert.NotEqual(first, second);
        Assert.Null(InputRules.CredentialName(first));
        Assert.StartsWith("id-ns-sa-", first, StringComparison.Ordinal);
    }
}
