using System.Net;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using Xunit;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

public sealed class AuthorizationProviderTests : IAsyncLifetime
{
    private const string ApiVersion = "2022-04-01";
    private const string Subscription = $"/subscriptions/{SubscriptionId}";
    private const string Group = $"{Subscription}/resourceGroups/{ResourceGroup}";
    private const string Vault = $"{Group}/providers/Microsoft.KeyVault/vaults/kv-exampleapp";
    private const string AssignmentName = "3f1e0c8a-5d2b-4c7e-9a61-2b8d4e6f0a13";
    private const string OtherName = "9b7c5a31-0e2d-4f68-8c1a-7d3e5f9b2c40";
    private const string OtherPrincipal = "5e6f7a8b-0000-4000-8000-00000000beef";

    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync() => _azure = await StartAsync();

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Theory]
    [InlineData("Key Vault Secrets User", BuiltInRoles.KeyVaultSecretsUser)]
    [InlineData("key vault secrets user", BuiltInRoles.KeyVaultSecretsUser)]
    [InlineData("Reader", BuiltInRoles.Reader)]
    [InlineData("Storage Blob Data Contributor", BuiltInRoles.StorageBlobDataContributor)]
    [InlineData("Key Vault Certificate User", BuiltInRoles.KeyVaultCertificateUser)]
    public async Task ListDefinitions_RoleNameFilter_ReturnsTheWholeNameMatchOnly(string roleName, string guid)
    {
        using var response = await ListDefinitionsAsync(Vault, $"roleName eq '{roleName}'");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var role = Assert.Single((await ReadJsonAsync(response))["value"]!.AsArray())!;
        Assert.Equal(guid, role["name"]!.GetValue<string>());
        Assert.Equal(
            $"{Subscription}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
            role["id"]!.GetValue<string>());
        Assert.Equal("Microsoft.Authorization/roleDefinitions", role["type"]!.GetValue<string>());
        Assert.Equal("BuiltInRole", role["properties"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Key Vault Secrets")]
    [InlineData("Key Vault Secrets User ")]
    [InlineData("No Such Role")]
    public async Task ListDefinitions_PartialOrUnknownName_ReturnsEmptyValue(string roleName)
    {
        using var response = await ListDefinitionsAsync(Group, $"roleName eq '{roleName}'");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await ReadJsonAsync(response))["value"]!.AsArray());
    }

    [Fact]
    public async Task ListDefinitions_UnsupportedFilter_Returns400()
    {
        using var response = await ListDefinitionsAsync(Group, "startswith(roleName, 'Key')");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GetDefinition_KnownAndUnknown_Returns200Then404RoleDefinitionDoesNotExist()
    {
        using var known = await SendAsync(HttpMethod.Get, DefinitionPath(Group, BuiltInRoles.Contributor));
        using var unknown = await SendAsync(HttpMethod.Get, DefinitionPath(Group, OtherName));

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal("Contributor", (await ReadJsonAsync(known))["properties"]!["roleName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(
            ("RoleDefinitionDoesNotExist", $"The specified role definition with ID '{OtherName}' does not exist."),
            await ReadArmErrorAsync(unknown));
    }

    [Fact]
    public async Task PutAssignment_NewThenSame_Returns201Then200WithOneAssignment()
    {
        using var created = await PutAssignmentAsync(Vault, AssignmentName);
        using var again = await PutAssignmentAsync(Vault, AssignmentName);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await ReadJsonAsync(created);
        Assert.Equal("/" + AssignmentPath(Vault, AssignmentName), body["id"]!.GetValue<string>());
        Assert.Equal(AssignmentName, body["name"]!.GetValue<string>());
        Assert.Equal("Microsoft.Authorization/roleAssignments", body["type"]!.GetValue<string>());
        var properties = body["properties"]!;
        Assert.Equal(Vault, properties["scope"]!.GetValue<string>());
        Assert.Equal(IdentityPrincipalId, properties["principalId"]!.GetValue<string>());
        Assert.Equal("ServicePrincipal", properties["principalType"]!.GetValue<string>());
        Assert.EndsWith(
            "/providers/Microsoft.Authorization/roleDefinitions/" + BuiltInRoles.KeyVaultSecretsUser,
            properties["roleDefinitionId"]!.GetValue<string>(),
            StringComparison.Ordinal);
        var stored = Assert.Single(_azure.State.RoleAssignments);
        Assert.Equal((Vault, BuiltInRoles.KeyVaultSecretsUser), (stored.Scope, stored.RoleDefinitionName));
    }

    [Fact]
    public async Task PutAssignment_TenantLevelRoleDefinitionId_IsAccepted()
    {
        using var created = await PutAssignmentAsync(
            Group,
            AssignmentName,
            roleDefinitionId: $"/providers/Microsoft.Authorization/roleDefinitions/{BuiltInRoles.Reader}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task PutAssignment_SameGrantUnderOtherName_Returns409RoleAssignmentExists()
    {
        using var created = await PutAssignmentAsync(Vault, AssignmentName);
        using var conflict = await PutAssignmentAsync(Vault, OtherName);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(
            ("RoleAssignmentExists", "The role assignment already exists."), await ReadArmErrorAsync(conflict));
        Assert.Single(_azure.State.RoleAssignments);
    }

    [Fact]
    public async Task PutAssignment_SameNameOtherRole_Returns400RoleAssignmentUpdateNotPermitted()
    {
        using var created = await PutAssignmentAsync(Vault, AssignmentName);
        using var update = await PutAssignmentAsync(Vault, AssignmentName, role: BuiltInRoles.Reader);

        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        Assert.Equal(
            ("RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated."),
            await ReadArmErrorAsync(update));
    }

    [Fact]
    public async Task PutAssignment_UnknownRole_Returns400RoleDefinitionDoesNotExist()
    {
        using var response = await PutAssignmentAsync(Group, AssignmentName, role: OtherName);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("RoleDefinitionDoesNotExist", (await ReadArmErrorAsync(response)).Code);
    }

    [Theory]
    [InlineData("not-a-guid", IdentityPrincipalId, "InvalidRoleAssignmentId")]
    [InlineData(AssignmentName, "", "InvalidPrincipalId")]
    public async Task PutAssignment_BadNameOrPrincipal_Returns400(string name, string principal, string code)
    {
        using var response = await PutAssignmentAsync(Group, name, principalId: principal);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await ReadArmErrorAsync(response)).Code);
    }

    [Fact]
    public async Task PutAssignment_NewPrincipalWithoutType_Returns400PrincipalNotFoundUntilReplicated()
    {
        _azure.State.PrincipalReplicationDelay = TimeSpan.FromSeconds(30);
        using var identity = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath("mi-new"), """{"location":"eastus"}""");
        var principalId = (await ReadJsonAsync(identity))["properties"]!["principalId"]!.GetValue<string>();

        using var early = await PutAssignmentAsync(Group, AssignmentName, principalId: principalId, type: null);
        _azure.Emulator.Clock.Advance(TimeSpan.FromSeconds(31));
        using var later = await PutAssignmentAsync(Group, AssignmentName, principalId: principalId, type: null);

        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal(
            ("PrincipalNotFound",
                $"Principal {principalId.Replace("-", "", StringComparison.Ordinal)} does not exist in the directory "
                + $"{TenantId}. Check that you have the correct principal ID. If you are creating this principal and "
                + "then immediately assigning a role, this error might be related to a replication delay. In this "
                + "case, set the role assignment principalType property to a value, such as ServicePrincipal, User, "
                + "or Group.  See https://aka.ms/docs-principaltype"),
            await ReadArmErrorAsync(early));
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
    }

    [Fact]
    public async Task PutAssignment_NewPrincipalWithServicePrincipalType_SkipsTheLookup()
    {
        _azure.State.PrincipalReplicationDelay = TimeSpan.FromMinutes(5);
        using var identity = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath("mi-new"), """{"location":"eastus"}""");
        var principalId = (await ReadJsonAsync(identity))["properties"]!["principalId"]!.GetValue<string>();

        using var response = await PutAssignmentAsync(Group, AssignmentName, principalId: principalId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PutAssignment_InjectedPrincipalNotFound_FailsThatManyTimesThenSucceeds()
    {
        _azure.State.PendingPrincipalNotFoundFailures = 2;

        using var first = await PutAssignmentAsync(Group, AssignmentName);
        using var second = await PutAssignmentAsync(Group, AssignmentName);
        using var third = await PutAssignmentAsync(Group, AssignmentName);

        Assert.Equal("PrincipalNotFound", (await ReadArmErrorAsync(first)).Code);
        Assert.Equal("PrincipalNotFound", (await ReadArmErrorAsync(second)).Code);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
    }

    [Fact]
    public async Task GetAssignment_MissingThenPresent_Returns404Then200()
    {
        using var missing = await SendAsync(HttpMethod.Get, AssignmentPath(Group, AssignmentName));
        using var created = await PutAssignmentAsync(Group, AssignmentName);
        using var present = await SendAsync(HttpMethod.Get, AssignmentPath(Group, AssignmentName));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("RoleAssignmentNotFound", (await ReadArmErrorAsync(missing)).Code);
        Assert.Equal(HttpStatusCode.OK, present.StatusCode);
    }

    [Fact]
    public async Task ListAssignments_PrincipalFilter_ReturnsInheritedAndBelowForThatPrincipal()
    {
        _azure.State.AddRoleAssignment(Subscription, OtherName, BuiltInRoles.Reader, IdentityPrincipalId);
        _azure.State.AddRoleAssignment(Vault, AssignmentName, BuiltInRoles.KeyVaultSecretsUser, IdentityPrincipalId);
        _azure.State.AddRoleAssignment(Group, AssignmentName, BuiltInRoles.Reader, OtherPrincipal);
        _azure.State.AddRoleAssignment(
            $"/subscriptions/{SubscriptionId}/resourceGroups/rg-other", OtherName, BuiltInRoles.Reader,
            IdentityPrincipalId);

        using var all = await ListAssignmentsAsync(Group, $"principalId eq '{IdentityPrincipalId}'");
        using var atScope = await ListAssignmentsAsync(Group, "atScope()");

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(
            [Subscription, Vault],
            (await ReadJsonAsync(all))["value"]!.AsArray().Select(a => a!["properties"]!["scope"]!.GetValue<string>()));
        Assert.Equal(
            [Subscription, Group],
            (await ReadJsonAsync(atScope))["value"]!.AsArray()
                .Select(a => a!["properties"]!["scope"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DeleteAssignment_PresentThenAbsent_Returns200WithBodyThen204()
    {
        using var created = await PutAssignmentAsync(Vault, AssignmentName);

        using var deleted = await SendAsync(HttpMethod.Delete, AssignmentPath(Vault, AssignmentName));
        using var absent = await SendAsync(HttpMethod.Delete, AssignmentPath(Vault, AssignmentName));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(AssignmentName, (await ReadJsonAsync(deleted))["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, absent.StatusCode);
        Assert.Empty(_azure.State.RoleAssignments);
    }

    [Theory]
    [InlineData("PUT", "Microsoft.Authorization/roleAssignments/write")]
    [InlineData("GET", "Microsoft.Authorization/roleAssignments/read")]
    [InlineData("DELETE", "Microsoft.Authorization/roleAssignments/delete")]
    public async Task Assignment_ActionDenied_Returns403NamingTheAction(string method, string action)
    {
        _azure.State.Deny(ObjectId, action, Group);

        using var response = method == "PUT"
            ? await PutAssignmentAsync(Vault, AssignmentName)
            : await SendAsync(new HttpMethod(method), AssignmentPath(Vault, AssignmentName));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var (code, message) = await ReadArmErrorAsync(response);
        Assert.Equal("AuthorizationFailed", code);
        Assert.Contains($"'{action}' over scope '/{AssignmentPath(Vault, AssignmentName)}'", message,
            StringComparison.Ordinal);
        Assert.Empty(_azure.State.RoleAssignments);
    }

    [Fact]
    public async Task ListDefinitions_ReadDenied_Returns403()
    {
        _azure.State.Deny(ObjectId, "Microsoft.Authorization/roleDefinitions/read", "");

        using var response = await ListDefinitionsAsync(Group, "roleName eq 'Reader'");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Assignment_UnknownApiVersion_Returns400NoRegisteredProviderFound()
    {
        using var response = await _azure.SendArmAsync(
            HttpMethod.Get, AssignmentPath(Group, AssignmentName), apiVersion: "2023-01-31");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("NoRegisteredProviderFound", (await ReadArmErrorAsync(response)).Code);
    }

    [Fact]
    public async Task Assignment_MissingResourceGroup_Returns404ResourceGroupNotFound()
    {
        using var response = await PutAssignmentAsync(
            $"{Subscription}/resourceGroups/rg-missing/providers/Microsoft.KeyVault/vaults/kv", AssignmentName);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceGroupNotFound", (await ReadArmErrorAsync(response)).Code);
    }

    [Fact]
    public async Task Assignment_InjectedFault_IsAnsweredAndRecorded()
    {
        _azure.Emulator.InjectFault(new FaultRule
        {
            Method = "PUT",
            PathPattern = "/roleAssignments/",
            Status = 429,
            Body = """{"error":{"code":"TooManyRequests","message":"slow down"}}""",
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
            Times = 1,
        });

        using var throttled = await PutAssignmentAsync(Group, AssignmentName);
        using var created = await PutAssignmentAsync(Group, AssignmentName);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(
            [429, 201],
            _azure.Emulator.Requests.Where(r => r.Path.Contains("/roleAssignments/", StringComparison.Ordinal))
                .Select(r => r.Status));
        Assert.True(created.Headers.Contains("x-ms-request-id"));
    }

    private static string AssignmentPath(string scope, string name) =>
        $"{scope.TrimStart('/')}/providers/Microsoft.Authorization/roleAssignments/{name}";

    private static string DefinitionPath(string scope, string guid) =>
        $"{scope.TrimStart('/')}/providers/Microsoft.Authorization/roleDefinitions/{guid}";

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null) =>
        _azure.SendArmAsync(method, path, body, ApiVersion);

    private Task<HttpResponseMessage> ListDefinitionsAsync(string scope, string filter) =>
        SendAsync(
            HttpMethod.Get,
            $"{scope.TrimStart('/')}/providers/Microsoft.Authorization/roleDefinitions?$filter="
            + Uri.EscapeDataString(filter));

    private Task<HttpResponseMessage> ListAssignmentsAsync(string scope, string filter) =>
        SendAsync(
            HttpMethod.Get,
            $"{scope.TrimStart('/')}/providers/Microsoft.Authorization/roleAssignments?$filter="
            + Uri.EscapeDataString(filter));

    private Task<HttpResponseMessage> PutAssignmentAsync(
        string scope,
        string name,
        string role = BuiltInRoles.KeyVaultSecretsUser,
        string principalId = IdentityPrincipalId,
        string? type = "ServicePrincipal",
        string? roleDefinitionId = null)
    {
        var definition = roleDefinitionId ?? $"{Subscription}/providers/Microsoft.Authorization/roleDefinitions/{role}";
        var typeJson = type is null ? "" : $",\"principalType\":\"{type}\"";
        var body = $$"""{"roleDefinitionId":"{{definition}}","principalId":"{{principalId}}"{{typeJson}}}""";
        return SendAsync(HttpMethod.Put, AssignmentPath(scope, name), $$"""{"properties":{{body}}}""");
    }
}
