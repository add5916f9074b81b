using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Emulators.Azure;
using RoleAssignment = ConfigureWorkloadIdentity.Azure.RoleAssignment;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Tests.Emulators.Azure;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Azure;

public sealed class ArmClientTests : IAsyncLifetime
{
    private const string Subscription = $"/subscriptions/{SubscriptionId}";
    private const string Group = $"{Subscription}/resourceGroups/{ResourceGroup}";
    private const string Vault = $"{Group}/providers/Microsoft.KeyVault/vaults/kv-exampleapp";
    private const string AssignmentName = "3f1e0c8a-5d2b-4c7e-9a61-2b8d4e6f0a13";
    private const string OtherName = "9b7c5a31-0e2d-4f68-8c1a-7d3e5f9b2c40";
    private const string SecretsUserId =
        $"{Subscription}/providers/Microsoft.Authorization/roleDefinitions/{BuiltInRoles.KeyVaultSecretsUser}";

    private static readonly string SeededIdentityId = "/" + IdentityPath();
    private static readonly string NewIdentityId = "/" + IdentityPath("mi-new");

    private readonly List<TimeSpan> _delays = [];
    private AzureEmulatorHarness _azure = null!;
    private ArmClient _arm = null!;

    public async Task InitializeAsync()
    {
        _azure = await StartAsync();
        _arm = CreateClient();
    }

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Fact]
    public async Task CreateOrUpdateIdentityAsync_New_ReturnsCreatedWithIdsAndStoresTags()
    {
        var (identity, created) = await _arm.CreateOrUpdateIdentityAsync(
            NewIdentityId, "eastus", new Dictionary<string, string> { ["team"] = "a" }, default);

        Assert.True(created);
        var stored = _azure.State.GetIdentity(SubscriptionId, ResourceGroup, "mi-new")!;
        Assert.Equal(stored.ClientId, identity.Properties!.ClientId);
        Assert.Equal(stored.PrincipalId, identity.Properties.PrincipalId);
        Assert.Equal(TenantId, identity.Properties.TenantId);
        Assert.Equal("a", stored.Tags["team"]);
    }

    [Fact]
    public async Task CreateOrUpdateIdentityAsync_Existing_ReturnsNotCreatedWithTheSameIds()
    {
        var (identity, created) = await _arm.CreateOrUpdateIdentityAsync(SeededIdentityId, "eastus", null, default);

        Assert.False(created);
        Assert.Equal(IdentityClientId, identity.Properties!.ClientId);
        Assert.Equal(IdentityPrincipalId, identity.Properties.PrincipalId);
    }

    [Fact]
    public async Task CreateOrUpdateIdentityAsync_WriteDenied_ThrowsWithStatusCodeAndRequestIds()
    {
        _azure.State.Deny(ObjectId, "Microsoft.ManagedIdentity/userAssignedIdentities/write", "");

        var ex = await Assert.ThrowsAsync<ArmRequestException>(
            () => _arm.CreateOrUpdateIdentityAsync(NewIdentityId, "eastus", null, default));

        Assert.Equal((403, "AuthorizationFailed"), (ex.Status, ex.Code));
        Assert.NotNull(ex.RequestId);
        Assert.NotNull(ex.CorrelationId);
        Assert.Null(_azure.State.GetIdentity(SubscriptionId, ResourceGroup, "mi-new"));
    }

    [Fact]
    public async Task PutFederatedCredentialAsync_JustCreatedIdentity_WaitsOutItsReplication()
    {
        _azure.State.NewIdentityVisibilityDelay = TimeSpan.FromSeconds(5);
        await _arm.CreateOrUpdateIdentityAsync(NewIdentityId, "eastus", null, default);

        var (credential, created) = await _arm.PutFederatedCredentialAsync(
            NewIdentityId, "fic-one", Properties(), default);

        Assert.True(created);
        Assert.Equal("fic-one", credential.Name);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _delays);
        Assert.Equal([404, 404, 404, 201], CredentialWrites().Select(r => r.Status));
    }

    [Fact]
    public async Task PutFederatedCredentialAsync_CreatedIdentityNeverVisible_GivesUpAfterTheBoundedWaits()
    {
        await _arm.CreateOrUpdateIdentityAsync(NewIdentityId, "eastus", null, default);
        _azure.State.PendingIdentityNotVisibleFailures = 100;

        var ex = await Assert.ThrowsAsync<ArmRequestException>(
            () => _arm.PutFederatedCredentialAsync(NewIdentityId, "fic-one", Properties(), default));

        Assert.Equal(404, ex.Status);
        Assert.Equal(new ArmRetrySettings().NewIdentityDelays, _delays);
        Assert.Equal(_delays.Count + 1, CredentialWrites().Count);
    }

    [Fact]
    public async Task PutFederatedCredentialAsync_IdentityNotCreatedByThisClient_404IsNotRetried()
    {
        var ex = await Assert.ThrowsAsync<ArmRequestException>(
            () => _arm.PutFederatedCredentialAsync(
                "/" + IdentityPath("mi-missing"), "fic-one", Properties(), default));

        Assert.Equal((404, "ParentResourceNotFound"), (ex.Status, ex.Code));
        Assert.Empty(_delays);
    }

    [Fact]
    public async Task DeleteFederatedCredentialAsync_ExistingThenAbsent_ReturnsTrueThenFalse()
    {
        _azure.State.AddFederatedCredential(SubscriptionId, ResourceGroup, IdentityName, "fic-one", IssuerUrl, Subject);

        Assert.True(await _arm.DeleteFederatedCredentialAsync(SeededIdentityId, "fic-one", default));
        Assert.False(await _arm.DeleteFederatedCredentialAsync(SeededIdentityId, "fic-one", default));
        Assert.Empty(_azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName));
    }

    [Fact]
    public async Task DeleteFederatedCredentialAsync_ConcurrentWrite409_IsRetried()
    {
        _azure.State.AddFederatedCredential(SubscriptionId, ResourceGroup, IdentityName, "fic-one", IssuerUrl, Subject);
        _azure.Emulator.InjectFault(new FaultRule
        {
            Method = "DELETE",
            PathPattern = "/federatedIdentityCredentials/fic-one$",
            Status = 409,
            Body = "{\"error\":{\"code\":\"ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity\","
                + "\"message\":\"Too many Federated Identity Credentials are written concurrently.\"}}",
            Times = 1,
        });

        Assert.True(await _arm.DeleteFederatedCredentialAsync(SeededIdentityId, "fic-one", default));
        Assert.Single(_delays);
    }

    [Theory]
    [InlineData("Key Vault Secrets User")]
    [InlineData("key vault secrets user")]
    [InlineData(BuiltInRoles.KeyVaultSecretsUser)]
    [InlineData(SecretsUserId)]
    [InlineData($"/providers/Microsoft.Authorization/roleDefinitions/{BuiltInRoles.KeyVaultSecretsUser}")]
    public async Task FindRoleDefinitionAsync_NameGuidOrId_FindsTheRole(string role)
    {
        var definition = await _arm.FindRoleDefinitionAsync(Vault, role, default);

        Assert.Equal(BuiltInRoles.KeyVaultSecretsUser, definition.Name);
        Assert.Equal("Key Vault Secrets User", definition.Properties!.RoleName);
        Assert.Equal(SecretsUserId, definition.Id);
    }

    [Fact]
    public async Task FindRoleDefinitionAsync_ByName_SendsARoleNameFilter()
    {
        await _arm.FindRoleDefinitionAsync(Group, "Reader", default);

        var request = Assert.Single(
            _azure.Emulator.Requests, r => r.Path.EndsWith("/roleDefinitions", StringComparison.Ordinal));
        Assert.Contains("$filter=roleName%20eq%20%27Reader%27", request.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Key Vault Secrets")]
    [InlineData("Blob Reader")]
    public async Task FindRoleDefinitionAsync_UnknownName_ThrowsNamingRoleAndScope(string role)
    {
        var ex = await Assert.ThrowsAsync<RoleDefinitionNotFoundException>(
            () => _arm.FindRoleDefinitionAsync(Group, role, default));

        Assert.Equal((role, Group), (ex.Role, ex.Scope));
        Assert.Contains($"'{role}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Group}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindRoleDefinitionAsync_UnknownGuid_ThrowsWithArmsAnswerInside()
    {
        var ex = await Assert.ThrowsAsync<RoleDefinitionNotFoundException>(
            () => _arm.FindRoleDefinitionAsync(Group, OtherName, default));

        var arm = Assert.IsType<ArmRequestException>(ex.InnerException);
        Assert.Equal((404, "RoleDefinitionDoesNotExist"), (arm.Status, arm.Code));
        Assert.NotNull(arm.RequestId);
    }

    [Theory]
    [InlineData("/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/y")]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e")]
    public async Task FindRoleDefinitionAsync_MalformedId_ThrowsArgumentExceptionWithoutARequest(string role)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _arm.FindRoleDefinitionAsync(Group, role, default));

        Assert.DoesNotContain(
            _azure.Emulator.Requests, r => r.Path.Contains("/roleDefinitions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FindRoleDefinitionAsync_ReadDenied_Throws403()
    {
        _azure.State.Deny(ObjectId, "Microsoft.Authorization/roleDefinitions/read", "");

        var ex = await Assert.ThrowsAsync<ArmRequestException>(
            () => _arm.FindRoleDefinitionAsync(Group, "Reader", default));

        Assert.Equal((403, "AuthorizationFailed"), (ex.Status, ex.Code));
    }

    [Fact]
    public async Task PutRoleAssignmentAsync_NewThenAgain_CreatedThenFoundInPlace()
    {
        var first = await PutAssignmentAsync(AssignmentName);
        var second = await PutAssignmentAsync(AssignmentName);

        Assert.True(first.Created);
        Assert.Equal(BuiltInRoles.KeyVaultSecretsUser, first.Assignment!.Properties!.RoleDefinitionGuid);
        Assert.False(second.Created);
        Assert.Equal(first.Assignment.Id, second.Assignment!.Id);
        var put = _azure.Emulator.Requests.First(r => r.Method == "PUT");
        Assert.Contains("\"principalType\":\"ServicePrincipal\"", put.Body, StringComparison.Ordinal);
        Assert.Contains("api-version=2022-04-01", put.Query, StringComparison.Ordinal);
        Assert.Single(_azure.State.RoleAssignments);
    }

    [Fact]
    public async Task PutRoleAssignmentAsync_SameGrantUnderOtherName_IsSuccessWithoutAssignment()
    {
        _azure.State.AddRoleAssignment(Vault, OtherName, BuiltInRoles.KeyVaultSecretsUser, IdentityPrincipalId);

        var (assignment, created) = await PutAssignmentAsync(AssignmentName);

        Assert.False(created);
        Assert.Null(assignment);
        Assert.Single(_azure.State.RoleAssignments);
    }

    [Fact]
    public async Task PutRoleAssignmentAsync_PrincipalNotFoundTwice_RetriesWithAzsBackoffThenCreates()
    {
        _azure.State.PendingPrincipalNotFoundFailures = 2;

        var (_, created) = await PutAssignmentAsync(AssignmentName);

        Assert.True(created);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], _delays);
    }

    [Fact]
    public async Task PutRoleAssignmentAsync_PrincipalNeverFound_GivesUpAfterTenAttempts()
    {
        _azure.State.PendingPrincipalNotFoundFailures = 100;

        var ex = await Assert.ThrowsAsync<ArmRequestException>(() => PutAssignmentAsync(AssignmentName));

        Assert.Equal((400, "PrincipalNotFound"), (ex.Status, ex.Code));
        Assert.Equal(10, _azure.Emulator.Requests.Count(r => r.Method == "PUT"));
        Assert.Equal(TimeSpan.FromSeconds(90), _delays.Aggregate(TimeSpan.Zero, (a, b) => a + b));
    }

    [Fact]
    public async Task PutRoleAssignmentAsync_CancelledWhileWaiting_StopsRetrying()
    {
        using var cancel = new CancellationTokenSource();
        var arm = CreateClient((_, ct) =>
        {
            cancel.Cancel();
            return Task.Delay(Timeout.InfiniteTimeSpan, ct);
        });
        _azure.State.PendingPrincipalNotFoundFailures = 100;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => arm.PutRoleAssignmentAsync(
            Vault, AssignmentName, SecretsUserId, IdentityPrincipalId, cancel.Token));

        Assert.Equal(1, _azure.Emulator.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task PutRoleAssignmentAsync_SameNameOtherRole_ThrowsUpdateNotPermitted()
    {
        _azure.State.AddRoleAssignment(Vault, AssignmentName, BuiltInRoles.Reader, IdentityPrincipalId);

        var ex = await Assert.ThrowsAsync<ArmRequestException>(() => PutAssignmentAsync(AssignmentName));

        Assert.Equal((400, "RoleAssignmentUpdateNotPermitted"), (ex.Status, ex.Code));
        Assert.Empty(_delays);
    }

    [Fact]
    public async Task PutRoleAssignmentAsync_WriteDenied_Throws403WithRequestIds()
    {
        _azure.State.Deny(ObjectId, "Microsoft.Authorization/roleAssignments/write", Group);

        var ex = await Assert.ThrowsAsync<ArmRequestException>(() => PutAssignmentAsync(AssignmentName));

        Assert.Equal((403, "AuthorizationFailed"), (ex.Status, ex.Code));
        Assert.Contains("Microsoft.Authorization/roleAssignments/write", ex.ArmMessage, StringComparison.Ordinal);
        Assert.NotNull(ex.RequestId);
        Assert.Empty(_azure.State.RoleAssignments);
    }

    [Fact]
    public async Task ListRoleAssignmentsAsync_Principal_ReturnsItsAssignmentsThatApply()
    {
        _azure.State.AddRoleAssignment(Subscription, OtherName, BuiltInRoles.Reader, IdentityPrincipalId);
        _azure.State.AddRoleAssignment(Vault, AssignmentName, BuiltInRoles.KeyVaultSecretsUser, IdentityPrincipalId);
        _azure.State.AddRoleAssignment(Vault, OtherName, BuiltInRoles.Reader, ObjectId);

        var assignments = await _arm.ListRoleAssignmentsAsync(Vault, IdentityPrincipalId, default);

        Assert.Equal(
            [(Subscription, BuiltInRoles.Reader), (Vault, BuiltInRoles.KeyVaultSecretsUser)],
            assignments.Select(a => (a.Properties!.Scope, a.Properties.RoleDefinitionGuid)));
    }

    [Fact]
    public async Task DeleteRoleAssignmentAsync_ExistingThenAbsent_ReturnsTrueThenFalse()
    {
        var assignment = _azure.State.AddRoleAssignment(
            Vault, AssignmentName, BuiltInRoles.KeyVaultSecretsUser, IdentityPrincipalId);

        Assert.True(await _arm.DeleteRoleAssignmentAsync(assignment.Id, default));
        Assert.False(await _arm.DeleteRoleAssignmentAsync(assignment.Id, default));
        Assert.Empty(_azure.State.RoleAssignments);
    }

    [Fact]
    public async Task DeleteRoleAssignmentAsync_Denied_Throws403()
    {
        var assignment = _azure.State.AddRoleAssignment(
            Vault, AssignmentName, BuiltInRoles.KeyVaultSecretsUser, IdentityPrincipalId);
        _azure.State.Deny(ObjectId, "Microsoft.Authorization/roleAssignments/delete", "");

        var ex = await Assert.ThrowsAsync<ArmRequestException>(
            () => _arm.DeleteRoleAssignmentAsync(assignment.Id, default));

        Assert.Equal(403, ex.Status);
        Assert.Single(_azure.State.RoleAssignments);
    }

    private static FederatedIdentityCredentialProperties Properties() =>
        new(IssuerUrl, Subject, [AzureState.TokenExchangeAudience]);

    private Task<(RoleAssignment? Assignment, bool Created)> PutAssignmentAsync(string name) =>
        _arm.PutRoleAssignmentAsync(Vault, name, SecretsUserId, IdentityPrincipalId, default);

    private List<RecordedRequest> CredentialWrites() =>
        [.. _azure.Emulator.Requests.Where(
            r => r.Method == "PUT" && r.Path.Contains("/federatedIdentityCredentials/", StringComparison.Ordinal))];

    /// <summary>
    /// A client whose waits are recorded and, instead of passing in real time, move the emulator's clock.
    /// </summary>
    private ArmClient CreateClient(Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        var credential = new ClientSecretCredential(
            TenantId,
            ClientId,
            Secret,
            new ClientSecretCredentialOptions
            {
                AuthorityHost = _azure.Emulator.BaseUri,
                DisableInstanceDiscovery = true,
                Transport = new HttpClientTransport(_azure.CreateHandler()),
            });
        var options = new ArmPipelineOptions { Transport = new HttpClientTransport(_azure.CreateHandler()) };
        var pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, ArmScope));
        return new ArmClient(pipeline, _azure.Emulator.BaseUri, new ArmRetrySettings
        {
            DelayAsync = delay ?? ((wait, _) =>
            {
                _delays.Add(wait);
                _azure.Emulator.Clock.Advance(wait);
                return Task.CompletedTask;
            }),
        });
    }
}
