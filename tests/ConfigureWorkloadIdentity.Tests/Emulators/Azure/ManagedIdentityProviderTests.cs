using System.Net;
using System.Text.Json.Nodes;
using Xunit;
using static ConfigureWorkloadIdentity.Tests.Emulators.Azure.AzureEmulatorHarness;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

public sealed class ManagedIdentityProviderTests : IAsyncLifetime
{
    private const string IdentityId = $"/subscriptions/{SubscriptionId}/resourcegroups/{ResourceGroup}"
        + $"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{IdentityName}";

    private AzureEmulatorHarness _azure = null!;

    public async Task InitializeAsync() => _azure = await StartAsync();

    public async Task DisposeAsync() => await _azure.DisposeAsync();

    [Fact]
    public async Task GetIdentity_Seeded_ReturnsIdsWithLowerCaseResourceGroupsSegment()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadJsonAsync(response);
        Assert.Equal(IdentityId, body["id"]!.GetValue<string>());
        Assert.Equal(IdentityName, body["name"]!.GetValue<string>());
        Assert.Equal("Microsoft.ManagedIdentity/userAssignedIdentities", body["type"]!.GetValue<string>());
        Assert.Equal("eastus", body["location"]!.GetValue<string>());
        Assert.Equal(IdentityClientId, body["properties"]!["clientId"]!.GetValue<string>());
        Assert.Equal(IdentityPrincipalId, body["properties"]!["principalId"]!.GetValue<string>());
        Assert.Equal(TenantId, body["properties"]!["tenantId"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetIdentity_NameInOtherCase_IsFound()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath(IdentityName.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GetIdentity_Missing_Returns404ResourceNotFound()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath("mi-missing"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            ("ResourceNotFound",
                "The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/mi-missing' under resource group "
                + $"'{ResourceGroup}' was not found. For more details please go to "
                + "https://aka.ms/ARMResourceNotFoundFix"),
            await ReadArmErrorAsync(response));
    }

    [Fact]
    public async Task GetIdentity_MissingResourceGroup_Returns404ResourceGroupNotFound()
    {
        var path = IdentityPath().Replace(ResourceGroup, "rg-missing", StringComparison.Ordinal);

        using var response = await _azure.SendArmAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            ("ResourceGroupNotFound", "Resource group 'rg-missing' could not be found."),
            await ReadArmErrorAsync(response));
    }

    [Fact]
    public async Task PutIdentity_NewThenAgain_Returns201Then200WithStableIds()
    {
        using var created = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath("mi-new"), """{"location":"eastus","tags":{"a":"b"}}""");
        using var updated = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath("mi-new"), """{"location":"eastus"}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.EndsWith("/resourcegroups/rg-pri-exampleapp-sbx/providers/Microsoft.ManagedIdentity/"
            + "userAssignedIdentities/mi-new", created.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var first = await ReadJsonAsync(created);
        var second = await ReadJsonAsync(updated);
        Assert.Equal("b", first["tags"]!["a"]!.GetValue<string>());
        Assert.Equal(
            first["properties"]!["clientId"]!.GetValue<string>(),
            second["properties"]!["clientId"]!.GetValue<string>());
        Assert.Equal(TenantId, first["properties"]!["tenantId"]!.GetValue<string>());
        Assert.NotNull(_azure.State.GetIdentity(SubscriptionId, ResourceGroup, "mi-new"));
    }

    [Fact]
    public async Task PutIdentity_NoTags_Returns201WithEmptyTagsAndGeneratedIds()
    {
        using var created = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath("mi-new"), """{"location":"eastus"}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await ReadJsonAsync(created);
        Assert.Empty(body["tags"]!.AsObject());
        Assert.True(Guid.TryParse(body["properties"]!["clientId"]!.GetValue<string>(), out _));
        Assert.True(Guid.TryParse(body["properties"]!["principalId"]!.GetValue<string>(), out _));
        Assert.NotEqual(
            body["properties"]!["clientId"]!.GetValue<string>(),
            body["properties"]!["principalId"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutIdentity_Existing_Returns200AndReplacesTags()
    {
        using var updated = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath(), """{"location":"eastus","tags":{"team":"a"}}""");

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = await ReadJsonAsync(updated);
        Assert.Equal("a", body["tags"]!["team"]!.GetValue<string>());
        Assert.Equal(IdentityClientId, body["properties"]!["clientId"]!.GetValue<string>());
        Assert.Equal("a", _azure.State.GetIdentity(SubscriptionId, ResourceGroup, IdentityName)!.Tags["team"]);
    }

    [Fact]
    public async Task PutIdentity_OtherLocation_Returns400InvalidResourceLocation()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Put, IdentityPath(), """{"location":"westus"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidResourceLocation", (await ReadArmErrorAsync(response)).Code);
    }

    [Fact]
    public async Task PutIdentity_WriteDenied_Returns403AndCreatesNothing()
    {
        _azure.State.Deny(ObjectId, "Microsoft.ManagedIdentity/userAssignedIdentities/write", "");

        using var response = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath("mi-new"), """{"location":"eastus"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var (code, message) = await ReadArmErrorAsync(response);
        Assert.Equal("AuthorizationFailed", code);
        Assert.Contains(
            "'Microsoft.ManagedIdentity/userAssignedIdentities/write'", message, StringComparison.Ordinal);
        Assert.Null(_azure.State.GetIdentity(SubscriptionId, ResourceGroup, "mi-new"));
    }

    [Fact]
    public async Task PutCredential_IdentityJustCreated_Returns404ParentUntilTheWindowPasses()
    {
        _azure.State.NewIdentityVisibilityDelay = TimeSpan.FromSeconds(10);
        using var created = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath("mi-new"), """{"location":"eastus"}""");

        using var early = await _azure.SendArmAsync(
            HttpMethod.Put, CredentialPath("fic-one", "mi-new"), CredentialBody());
        using var earlyList = await _azure.SendArmAsync(
            HttpMethod.Get, $"{IdentityPath("mi-new")}/federatedIdentityCredentials");
        using var identityRead = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath("mi-new"));
        _azure.Emulator.Clock.Advance(TimeSpan.FromSeconds(11));
        using var later = await _azure.SendArmAsync(
            HttpMethod.Put, CredentialPath("fic-one", "mi-new"), CredentialBody());

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal(
            ("ParentResourceNotFound", "The parent user-assigned identity doesn't exist."),
            await ReadArmErrorAsync(early));
        Assert.Equal(HttpStatusCode.NotFound, earlyList.StatusCode);
        Assert.Equal(HttpStatusCode.OK, identityRead.StatusCode);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
    }

    [Fact]
    public async Task PutCredential_InjectedNotVisibleFailures_FailThatManyTimesOnACreatedIdentityOnly()
    {
        using var created = await _azure.SendArmAsync(
            HttpMethod.Put, IdentityPath("mi-new"), """{"location":"eastus"}""");
        _azure.State.PendingIdentityNotVisibleFailures = 2;

        using var seeded = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("fic-one"), CredentialBody());
        using var first = await _azure.SendArmAsync(
            HttpMethod.Put, CredentialPath("fic-one", "mi-new"), CredentialBody());
        using var second = await _azure.SendArmAsync(
            HttpMethod.Put, CredentialPath("fic-one", "mi-new"), CredentialBody());
        using var third = await _azure.SendArmAsync(
            HttpMethod.Put, CredentialPath("fic-one", "mi-new"), CredentialBody());

        Assert.Equal(HttpStatusCode.Created, seeded.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
    }

    [Fact]
    public async Task PutCredential_New_Returns201WithLocationAndBody()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("Fic-One"), CredentialBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = $"{IdentityId}/federatedIdentityCredentials/Fic-One";
        Assert.Equal(id, response.Headers.Location!.OriginalString);
        var body = await ReadJsonAsync(response);
        Assert.Equal(id, body["id"]!.GetValue<string>());
        Assert.Equal("Fic-One", body["name"]!.GetValue<string>());
        Assert.Equal(
            "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
            body["type"]!.GetValue<string>());
        Assert.Equal(IssuerUrl, body["properties"]!["issuer"]!.GetValue<string>());
        Assert.Equal(Subject, body["properties"]!["subject"]!.GetValue<string>());
        Assert.Equal("api://AzureADTokenExchange", body["properties"]!["audiences"]![0]!.GetValue<string>());
        var stored = Assert.Single(_azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName));
        Assert.Equal(("Fic-One", IssuerUrl, Subject), (stored.Name, stored.Issuer, stored.Subject));
    }

    [Fact]
    public async Task PutCredential_ExistingName_Returns200AndUpdatesIssuer()
    {
        _azure.State.AddFederatedCredential(
            SubscriptionId, ResourceGroup, IdentityName, "fic-one", IssuerUrl.TrimEnd('/'), Subject);

        using var response = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("FIC-ONE"), CredentialBody());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var stored = Assert.Single(_azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName));
        Assert.Equal(("fic-one", IssuerUrl), (stored.Name, stored.Issuer));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-abc")]
    [InlineData("_abc")]
    [InlineData("abc.def")]
    [InlineData("abc%20def")]
    public async Task PutCredential_InvalidName_Returns400(string name)
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath(name), CredentialBody());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ("BadRequest", $"Federated Identity Credential name '{Uri.UnescapeDataString(name)}' is invalid."),
            await ReadArmErrorAsync(response));
    }

    [Fact]
    public async Task PutCredential_Name120Chars_IsAccepted()
    {
        using var response = await _azure.SendArmAsync(
            HttpMethod.Put, CredentialPath("a" + new string('b', 119)), CredentialBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PutCredential_InvalidNameAndMissingIdentity_NameIsCheckedFirst()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("x", "mi-missing"), "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PutCredential_MissingIdentityAndBadBody_Returns404ParentFirst()
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("fic-one", "mi-missing"), "{}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            "The parent user-assigned identity doesn't exist.", (await ReadArmErrorAsync(response)).Message);
    }

    [Theory]
    [InlineData("""{}""", "Federated Identity Credential from HTTP body has empty properties")]
    [InlineData("""{"properties":{}}""", "Federated Identity Credential from HTTP body has empty properties")]
    [InlineData(
        """{"properties":{"issuer":"https://a.example/","audiences":["api://AzureADTokenExchange"]}}""",
        "The request format was unexpected. Federated Identity Credential must specify 'issuer', 'subject' and "
        + "'audience'.")]
    [InlineData(
        """{"properties":{"issuer":"https://a.example/","subject":"s"}}""",
        "The request format was unexpected. Federated Identity Credential must specify 'issuer', 'subject' and "
        + "'audience'.")]
    [InlineData(
        """{"properties":{"issuer":"https://a.example/","subject":"s","audiences":[]}}""",
        "Federated identity credentials must have exactly one audience.")]
    [InlineData(
        """{"properties":{"issuer":"https://a.example/","subject":"s","""
        + "\"audiences\":[\"api://AzureADTokenExchange\",\"b\"]}}",
        "Federated identity credentials must have exactly one audience.")]
    public async Task PutCredential_InvalidBody_Returns400(string body, string message)
    {
        using var response = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("fic-one"), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("BadRequest", message), await ReadArmErrorAsync(response));
        Assert.Empty(_azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName));
    }

    [Theory]
    [InlineData("http://insecure.example/", Subject, "[\"api://AzureADTokenExchange\"]")]
    [InlineData(" https://space.example/", Subject, "[\"api://AzureADTokenExchange\"]")]
    [InlineData(IssuerUrl, Subject, "[\"api://SomethingElse\"]")]
    public async Task PutCredential_BadIssuerOrAudience_Returns400(string issuer, string subject, string audiences)
    {
        using var response = await _azure.SendArmAsync(
            HttpMethod.Put, CredentialPath("fic-one"), CredentialBody(issuer, subject, audiences));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadRequest", (await ReadArmErrorAsync(response)).Code);
    }

    [Fact]
    public async Task PutCredential_SamePairUnderOtherName_Returns400()
    {
        _azure.State.AddFederatedCredential(
            SubscriptionId, ResourceGroup, IdentityName, "legacy-fic", IssuerUrl, Subject);

        using var response = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("aks-ns-sa"), CredentialBody());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            ("BadRequest", "Issuer and subject combination already exists for this Managed Identity."),
            await ReadArmErrorAsync(response));
    }

    [Fact]
    public async Task PutCredential_SubjectDiffersOnlyInCase_IsNotADuplicate()
    {
        _azure.State.AddFederatedCredential(
            SubscriptionId, ResourceGroup, IdentityName, "legacy-fic", IssuerUrl, Subject.ToUpperInvariant());

        using var response = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("aks-ns-sa"), CredentialBody());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PutCredential_TwentyExist_NewReturns400AndUpdateSucceeds()
    {
        for (var i = 0; i < 20; i++)
        {
            _azure.State.AddFederatedCredential(
                SubscriptionId, ResourceGroup, IdentityName, $"fic-{i:D2}", IssuerUrl, $"system:serviceaccount:n:{i}");
        }

        using var added = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("fic-new"), CredentialBody());
        using var updated = await _azure.SendArmAsync(HttpMethod.Put, CredentialPath("fic-05"), CredentialBody());

        Assert.Equal(HttpStatusCode.BadRequest, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(20, _azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName).Count);
    }

    [Theory]
    [InlineData("malaysiasouth")]
    [InlineData("newzealandnorth")]
    public async Task PutCredential_IdentityInUnsupportedRegion_Returns405(string location)
    {
        _azure.State.AddIdentity(SubscriptionId, ResourceGroup, "mi-far", location, "c", "p", TenantId);

        using var response = await _azure.SendArmAsync(
            HttpMethod.Put, CredentialPath("fic-one", "mi-far"), CredentialBody());

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(
            "The request format was unexpected: Support for federated identity credentials not enabled.",
            (await ReadArmErrorAsync(response)).Message);
    }

    [Fact]
    public async Task PutCredential_TwoParallelWrites_OneGets409()
    {
        _azure.State.FederatedCredentialWriteDuration = TimeSpan.FromMilliseconds(400);
        var token = await _azure.GetTokenAsync();

        var responses = await Task.WhenAll(
            _azure.SendArmAsync(HttpMethod.Put, CredentialPath("fic-one"), CredentialBody(), token: token),
            _azure.SendArmAsync(
                HttpMethod.Put, CredentialPath("fic-two"), CredentialBody(subject: "system:serviceaccount:a:b"),
                token: token));

        var statuses = responses.Select(r => (int)r.StatusCode).Order().ToArray();
        Assert.Equal([201, 409], statuses);
        var conflict = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal(
            ("ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity",
                "Too many Federated Identity Credentials are written concurrently for the managed identity "
                + $"'/subscriptions/{SubscriptionId}/resourcegroups/{ResourceGroup}/providers/"
                + $"microsoft.managedidentity/userassignedidentities/{IdentityName}'. Concurrent Federated "
                + "Identity Credentials writes under the same managed identity are not supported."),
            await ReadArmErrorAsync(conflict));
        Assert.Single(_azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task PutCredential_SequentialWrites_AllSucceed()
    {
        for (var i = 0; i < 3; i++)
        {
            using var response = await _azure.SendArmAsync(
                HttpMethod.Put, CredentialPath($"fic-{i}"), CredentialBody(subject: $"system:serviceaccount:n:{i}"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task DeleteCredential_ExistingThenAgain_Returns200Then204WithEmptyBody()
    {
        _azure.State.AddFederatedCredential(SubscriptionId, ResourceGroup, IdentityName, "fic-one", IssuerUrl, Subject);

        using var deleted = await _azure.SendArmAsync(HttpMethod.Delete, CredentialPath("fic-one"));
        using var absent = await _azure.SendArmAsync(HttpMethod.Delete, CredentialPath("fic-one"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, absent.StatusCode);
        Assert.Empty(_azure.State.GetFederatedCredentials(SubscriptionId, ResourceGroup, IdentityName));
    }

    [Fact]
    public async Task GetCredential_MissingAndExisting_Returns404Then200()
    {
        using var missing = await _azure.SendArmAsync(HttpMethod.Get, CredentialPath("fic-one"));
        _azure.State.AddFederatedCredential(SubscriptionId, ResourceGroup, IdentityName, "fic-one", IssuerUrl, Subject);
        using var found = await _azure.SendArmAsync(HttpMethod.Get, CredentialPath("fic-one"));

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("ResourceNotFound", (await ReadArmErrorAsync(missing)).Code);
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal(Subject, (await ReadJsonAsync(found))["properties"]!["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListCredentials_None_ReturnsEmptyValueWithoutNextLink()
    {
        using var response = await _azure.SendArmAsync(
            HttpMethod.Get, IdentityPath() + "/federatedIdentityCredentials");

        Assert.Equal("""{"value":[]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListCredentials_MissingIdentity_Returns404()
    {
        using var response = await _azure.SendArmAsync(
            HttpMethod.Get, IdentityPath("mi-missing") + "/federatedIdentityCredentials");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ListCredentials_MoreThanAPage_FollowsNextLinks()
    {
        Seed(23);

        var (names, pages) = await ListAllAsync(
            IdentityPath() + "/federatedIdentityCredentials?api-version=2023-01-31");

        Assert.Equal([10, 10, 3], pages);
        Assert.Equal(Enumerable.Range(0, 23).Select(i => $"fic-{i:D2}"), names);
    }

    [Fact]
    public async Task ListCredentials_Top_SetsPageSizeAndIsKeptInNextLink()
    {
        Seed(12);

        var (names, pages) = await ListAllAsync(
            IdentityPath() + "/federatedIdentityCredentials?api-version=2023-01-31&$top=5");

        Assert.Equal([5, 5, 2], pages);
        Assert.Equal(12, names.Count);
    }

    [Fact]
    public async Task ListCredentials_LowerCaseSkipToken_IsAccepted()
    {
        Seed(4);
        _azure.State.FederatedCredentialPageSize = 3;
        using var first = await _azure.SendArmAsync(HttpMethod.Get, IdentityPath() + "/federatedIdentityCredentials");
        var nextLink = (await ReadJsonAsync(first))["nextLink"]!.GetValue<string>();
        Assert.Contains("&$skipToken=", nextLink, StringComparison.Ordinal);

        using var second = await GetAbsoluteAsync(
            nextLink.Replace("$skipToken", "$skiptoken", StringComparison.Ordinal));

        var page = (await ReadJsonAsync(second))["value"]!.AsArray();
        Assert.Equal("fic-03", Assert.Single(page)!["name"]!.GetValue<string>());
    }

    private void Seed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _azure.State.AddFederatedCredential(
                SubscriptionId, ResourceGroup, IdentityName, $"fic-{i:D2}", IssuerUrl, $"system:serviceaccount:n:{i}");
        }
    }

    private async Task<(List<string> Names, List<int> Pages)> ListAllAsync(string firstPath)
    {
        var names = new List<string>();
        var pages = new List<int>();
        string? next = new Uri(_azure.Emulator.BaseUri, firstPath).AbsoluteUri;
        while (next is not null)
        {
            Assert.StartsWith(_azure.Emulator.BaseUri.AbsoluteUri, next, StringComparison.Ordinal);
            using var response = await GetAbsoluteAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await ReadJsonAsync(response);
            var value = body["value"]!.AsArray();
            pages.Add(value.Count);
            names.AddRange(value.Select(v => v!["name"]!.GetValue<string>()));
            next = body["nextLink"]?.GetValue<string>();
            Assert.True(pages.Count < 10, "nextLink loops");
        }

        return (names, pages);
    }

    private async Task<HttpResponseMessage> GetAbsoluteAsync(string uri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new("Bearer", await _azure.GetTokenAsync());
        return await _azure.Http.SendAsync(request);
    }
}
