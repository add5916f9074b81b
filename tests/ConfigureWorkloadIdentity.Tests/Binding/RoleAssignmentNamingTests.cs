using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Tests.Binding;

public sealed class RoleAssignmentNamingTests
{
    private const string Vault = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/"
        + "rg-pri-exampleapp-sbx/providers/Microsoft.KeyVault/vaults/kv-exampleapp";
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string PrincipalId = "a1b2c3d4-0000-4000-8000-0000000001d0";

    [Fact]
    public void Uuid5_RfcDnsNamespaceVector_Matches() =>
        Assert.Equal(
            new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"),
            RoleAssignmentNaming.Uuid5(new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"));

    // The expected names were computed independently (Python's uuid.uuid5 over the same namespace and text).
    [Theory]
    [InlineData(Vault, SecretsUser, PrincipalId, "d1678642-7942-578b-b276-9308d0cafa14")]
    [InlineData(
        "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590",
        "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        PrincipalId,
        "a8999653-625b-535a-bab3-af1bb501bc1f")]
    public void AssignmentName_FixedInputs_GivesFixedVersion5Name(
        string scope,
        string role,
        string principal,
        string expected)
    {
        var name = RoleAssignmentNaming.AssignmentName(scope, role, principal);

        Assert.Equal(expected, name);
        Assert.Equal(5, Guid.Parse(name).Version);
    }

    [Theory]
    [InlineData(Vault + "/", SecretsUser, PrincipalId)]
    [InlineData("subscriptions/0B1F6471-1BF0-4DDA-AEC3-CB9272F09590/RESOURCEGROUPS/RG-PRI-EXAMPLEAPP-SBX/providers/"
        + "microsoft.keyvault/vaults/KV-EXAMPLEAPP", "4633458B-17DE-408A-B874-0445C86B69E6", PrincipalId)]
    [InlineData(Vault, "/providers/Microsoft.Authorization/roleDefinitions/" + SecretsUser, PrincipalId)]
    [InlineData(Vault, "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/Microsoft.Authorization/"
        + "roleDefinitions/" + SecretsUser, "A1B2C3D4-0000-4000-8000-0000000001D0")]
    public void AssignmentName_SameGrantSpelledOtherwise_GivesTheSameName(
        string scope,
        string role,
        string principal) =>
        Assert.Equal(
            "d1678642-7942-578b-b276-9308d0cafa14", RoleAssignmentNaming.AssignmentName(scope, role, principal));

    [Fact]
    public void AssignmentName_OtherRoleScopeOrPrincipal_GivesOtherNames()
    {
        var names = new[]
        {
            RoleAssignmentNaming.AssignmentName(Vault, SecretsUser, PrincipalId),
            RoleAssignmentNaming.AssignmentName(Vault + "2", SecretsUser, PrincipalId),
            RoleAssignmentNaming.AssignmentName(Vault, "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba", PrincipalId),
            RoleAssignmentNaming.AssignmentName(Vault, SecretsUser, "a1b2c3d4-0000-4000-8000-0000000001d1"),
        };

        Assert.Equal(names.Length, names.Distinct().Count());
    }
}
