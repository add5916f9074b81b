using ConfigureWorkloadIdentity.Failures;

namespace ConfigureWorkloadIdentity.Tests.Failures;

public sealed class RbacDenialTests
{
    [Fact]
    public void Parse_NamespacedDenial_ReadsEveryPart()
    {
        var denial = RbacDenial.Parse("serviceaccounts \"wi-sa\" is forbidden: User \"alice@contoso.com\" cannot "
            + "patch resource \"serviceaccounts\" in API group \"\" in the namespace \"team-a\"");

        Assert.Equal(new RbacDenial("alice@contoso.com", "patch", "serviceaccounts", "", "team-a", null), denial);
    }

    [Fact]
    public void Parse_ClusterScopeWithAzureReason_KeepsTheReason()
    {
        var denial = RbacDenial.Parse("namespaces is forbidden: User \"5c1e\" cannot create resource "
            + "\"namespaces\" in API group \"\" at the cluster scope: Azure does not have opinion for this user.");

        Assert.NotNull(denial);
        Assert.Null(denial.Namespace);
        Assert.True(denial.ByAzureRbac);
    }

    [Fact]
    public void Parse_HtmlEscapedUser_IsUnescaped()
    {
        var denial = RbacDenial.Parse("pods is forbidden: User \"a&amp;b\" cannot create resource \"pods\" in API "
            + "group \"\" in the namespace \"ns\"");

        Assert.Equal("a&b", denial!.User);
    }

    [Theory]
    [InlineData("mutatingwebhookconfigurations", "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations.admissionregistration.k8s.io")]
    [InlineData("serviceaccounts/token", "", "serviceaccounts/token")]
    [InlineData("deployments", "apps", "deployments.apps")]
    public void QualifiedResource_Group_AsKubectlTakesIt(string resource, string group, string expected) =>
        Assert.Equal(expected, new RbacDenial("u", "get", resource, group, null, null).QualifiedResource);

    [Theory]
    [InlineData(null)]
    [InlineData("serviceaccounts \"x\" is forbidden: unable to create new content in namespace ns because it is "
        + "being terminated")]
    public void Parse_NotAnRbacMessage_IsNull(string? message) => Assert.Null(RbacDenial.Parse(message));
}
