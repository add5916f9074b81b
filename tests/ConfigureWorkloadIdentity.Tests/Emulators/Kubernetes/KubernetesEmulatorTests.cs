using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>Wire-level fidelity of the Kubernetes emulator, checked with a plain HttpClient.</summary>
public sealed class KubernetesEmulatorTests(CertificateAuthorityFixture fixture)
    : IClassFixture<CertificateAuthorityFixture>
{
    private const string Sa = "api/v1/namespaces/team-a/serviceaccounts";
    private const string ClientId = "azure.workload.identity/client-id";

    [Fact]
    public async Task Request_WithoutToken_Returns401Status()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Get, "api/v1/namespaces", token: null);

        Assert.Equal(401, result.Status);
        Assert.Equal(StatusBody(401, "Unauthorized", "Unauthorized", details: null), result.Body);
        Assert.StartsWith("application/json", result.Headers["Content-Type"][0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithRevokedToken_Returns401()
    {
        await using var harness = await StartAsync();
        Assert.Equal(200, (await harness.SendAsync(HttpMethod.Get, "api/v1/namespaces")).Status);

        harness.Emulator.RevokeToken(KubernetesEmulatorHarness.Token);
        var result = await harness.SendAsync(HttpMethod.Get, "api/v1/namespaces");

        Assert.Equal(401, result.Status);
        Assert.Equal("Unauthorized", result.Json["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_PatchDeniedInNamespace_Returns403WithRbacMessage()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Deny(KubernetesEmulatorHarness.UserName, "patch", "serviceaccounts", "team-a");

        var result = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", Body("wi-sa"));

        Assert.Equal(403, result.Status);
        Assert.Equal(
            StatusBody(
                403,
                "Forbidden",
                "serviceaccounts \"wi-sa\" is forbidden: User \"alice@contoso.com\" cannot patch resource "
                + "\"serviceaccounts\" in API group \"\" in the namespace \"team-a\"",
                """{"name":"wi-sa","kind":"serviceaccounts"}"""),
            result.Body);
    }

    [Fact]
    public async Task Apply_CreateDenied_Returns403ForCreateOnlyWhenObjectIsMissing()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Deny(KubernetesEmulatorHarness.UserName, "create", "serviceaccounts", "team-a");
        harness.State.SeedServiceAccount("team-a", "existing");

        var missing = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", Body("wi-sa"));
        var existing = await harness.ApplyServiceAccountAsync("team-a", "existing", Body("existing"));

        Assert.Equal(403, missing.Status);
        Assert.Equal(
            "serviceaccounts \"wi-sa\" is forbidden: User \"alice@contoso.com\" cannot create resource "
            + "\"serviceaccounts\" in API group \"\" in the namespace \"team-a\"",
            missing.Json["message"]!.GetValue<string>());
        Assert.Equal(200, existing.Status);
    }

    [Fact]
    public async Task CreateNamespace_DeniedAtClusterScope_Returns403WithoutName()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Deny(KubernetesEmulatorHarness.UserName, "create", "namespaces");

        var result = await harness.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"x"}}""");

        Assert.Equal(403, result.Status);
        Assert.Equal(
            StatusBody(
                403,
                "Forbidden",
                "namespaces is forbidden: User \"alice@contoso.com\" cannot create resource \"namespaces\" in API "
                + "group \"\" at the cluster scope",
                """{"kind":"namespaces"}"""),
            result.Body);
    }

    [Fact]
    public async Task AllowOnly_GrantsExactlyTheListedRulesInTheirNamespace()
    {
        await using var harness = await StartAsync();
        harness.State.SeedServiceAccount("team-a", "wi-sa");
        harness.State.SeedServiceAccount("team-b", "wi-sa");
        harness.Emulator.AllowOnly(KubernetesEmulatorHarness.UserName,
        [
            new("get", "", "serviceaccounts", "team-a"),
            new("list", "apps", "deployments", null),
        ]);

        var granted = await harness.SendAsync(HttpMethod.Get, Sa + "/wi-sa");
        var otherNamespace = await harness.SendAsync(HttpMethod.Get, "api/v1/namespaces/team-b/serviceaccounts/wi-sa");
        var otherVerb = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", Body("wi-sa"));
        var clusterWide = await harness.SendAsync(HttpMethod.Get, "apis/apps/v1/namespaces/team-b/deployments");
        var otherGroup = await harness.SendAsync(HttpMethod.Get, "apis/batch/v1/namespaces/team-a/jobs");

        Assert.Equal(200, granted.Status);
        Assert.Equal(403, otherNamespace.Status);
        Assert.Equal(403, otherVerb.Status);
        Assert.Equal(200, clusterWide.Status);
        Assert.Equal(
            StatusBody(
                403,
                "Forbidden",
                "jobs.batch is forbidden: User \"alice@contoso.com\" cannot list resource \"jobs\" in API group "
                + "\"batch\" in the namespace \"team-a\"",
                """{"group":"batch","kind":"jobs"}"""),
            otherGroup.Body);

        harness.Emulator.ClearAllowLists();
        Assert.Equal(200, (await harness.SendAsync(HttpMethod.Get, "apis/batch/v1/namespaces/team-a/jobs")).Status);
    }

    [Fact]
    public async Task AllowOnly_ClusterScopedRequest_NeedsAClusterWideGrant()
    {
        await using var harness = await StartAsync();
        harness.Emulator.AllowOnly(KubernetesEmulatorHarness.UserName, [new("create", "", "namespaces", "team-a")]);

        var result = await harness.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"x"}}""");

        Assert.Equal(403, result.Status);
        Assert.EndsWith("at the cluster scope", result.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenRequest_NotAllowed_NamesTheSubresourceInTheDetailOnly()
    {
        await using var harness = await StartAsync();
        harness.State.SeedServiceAccount("team-a", "wi-sa");
        harness.Emulator.AllowOnly(KubernetesEmulatorHarness.UserName, [new("get", "", "serviceaccounts", null)]);

        var result = await harness.SendAsync(HttpMethod.Post, Sa + "/wi-sa/token",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"audiences":["a"]}}""");

        Assert.Equal(403, result.Status);
        Assert.Equal(
            "serviceaccounts \"wi-sa\" is forbidden: User \"alice@contoso.com\" cannot create resource "
            + "\"serviceaccounts/token\" in API group \"\" in the namespace \"team-a\"",
            result.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetNamespace_Denied_NamesTheNamespaceAsScope()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Deny(KubernetesEmulatorHarness.UserName, "get", "namespaces");

        var result = await harness.SendAsync(HttpMethod.Get, "api/v1/namespaces/team-a");

        Assert.Equal(403, result.Status);
        Assert.Equal(
            "namespaces \"team-a\" is forbidden: User \"alice@contoso.com\" cannot get resource \"namespaces\" "
            + "in API group \"\" in the namespace \"team-a\"",
            result.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_MissingServiceAccount_Returns404Status()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Get, $"{Sa}/wi-sa");

        Assert.Equal(404, result.Status);
        Assert.Equal(
            StatusBody(
                404,
                "NotFound",
                "serviceaccounts \"wi-sa\" not found",
                """{"name":"wi-sa","kind":"serviceaccounts"}"""),
            result.Body);
    }

    [Theory]
    [InlineData("api/v1/pods")]
    [InlineData("apis/apps/v1/namespaces/team-a/replicasets")]
    [InlineData("openapi/v2")]
    public async Task Get_UnknownPath_Returns404CouldNotFind(string path)
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Get, path);

        Assert.Equal(404, result.Status);
        Assert.Equal(
            StatusBody(404, "NotFound", "the server could not find the requested resource", "{}"), result.Body);
    }

    [Fact]
    public async Task Discovery_CoreV1_ListsNamespacesAndServiceAccounts()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Get, "api/v1");

        var resources = result.Json["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        var serviceAccounts = resources.Single(r => r["name"]!.GetValue<string>() == "serviceaccounts");
        Assert.Equal("APIResourceList", result.Json["kind"]!.GetValue<string>());
        Assert.True(serviceAccounts["namespaced"]!.GetValue<bool>());
        Assert.Equal("sa", serviceAccounts["shortNames"]![0]!.GetValue<string>());
        Assert.Contains(resources, r => r["name"]!.GetValue<string>() == "namespaces");
    }

    [Fact]
    public async Task CreateNamespace_WithoutTypeMeta_Returns201WithServerFields()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"b"}}""");

        Assert.Equal(201, result.Status);
        var json = result.Json;
        Assert.Equal("Namespace", json["kind"]!.GetValue<string>());
        Assert.True(Guid.TryParse(result.Metadata("uid"), out _));
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"), result.Metadata("creationTimestamp"));
        Assert.Equal("b", json["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
        Assert.Equal("kubernetes", json["spec"]!["finalizers"]![0]!.GetValue<string>());
        Assert.Equal("Active", json["status"]!["phase"]!.GetValue<string>());
        var before = long.Parse(result.Metadata("resourceVersion")!, CultureInfo.InvariantCulture);
        var next = await harness.SendAsync(HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"c"}}""");
        Assert.True(long.Parse(next.Metadata("resourceVersion")!, CultureInfo.InvariantCulture) > before);
        Assert.NotNull(harness.State.GetNamespace("b"));
    }

    [Fact]
    public async Task CreateNamespace_Twice_Returns409AlreadyExists()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(
            HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"team-a"}}""");

        Assert.Equal(409, result.Status);
        Assert.Equal(
            StatusBody(
                409,
                "AlreadyExists",
                "namespaces \"team-a\" already exists",
                """{"name":"team-a","kind":"namespaces"}"""),
            result.Body);
    }

    [Theory]
    [InlineData("Team_A", "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
        + "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
        + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("team.a", "must not contain dots")]
    public async Task CreateNamespace_BadName_Returns422Invalid(string name, string detail)
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(
            HttpMethod.Post,
            "api/v1/namespaces",
            """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":""" + $"\"{name}\"}}}}");

        Assert.Equal(422, result.Status);
        var expected = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"Namespace \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": {detail}",
            ["reason"] = "Invalid",
            ["details"] = new JsonObject
            {
                ["name"] = name,
                ["kind"] = "Namespace",
                ["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "FieldValueInvalid",
                    ["message"] = $"Invalid value: \"{name}\": {detail}",
                    ["field"] = "metadata.name",
                }),
            },
            ["code"] = 422,
        };
        AssertJsonEqual(expected, result.Json);
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_Returns422PatchOptions()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(
            HttpMethod.Patch, $"{Sa}/wi-sa", Body("wi-sa"), "application/apply-patch+yaml");

        Assert.Equal(422, result.Status);
        Assert.Equal(
            StatusBody(
                422,
                "Invalid",
                "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                """{"group":"meta.k8s.io","kind":"PatchOptions","causes":[{"reason":"FieldValueRequired",""" + "\""
                + """message":"Required value: is required for apply patch","field":"fieldManager"}]}"""),
            result.Body);
    }

    [Fact]
    public async Task Apply_FieldManagerTooLong_Returns422TooLong()
    {
        await using var harness = await StartAsync();

        var result = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", Body("wi-sa"), new string('m', 129));

        Assert.Equal(422, result.Status);
        Assert.Equal(
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes",
            result.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task MergePatch_WithForce_Returns422Forbidden()
    {
        await using var harness = await StartAsync();
        harness.State.SeedServiceAccount("team-a", "wi-sa");

        var result = await harness.SendAsync(
            HttpMethod.Patch, $"{Sa}/wi-sa?force=true", "{}", "application/merge-patch+json");

        Assert.Equal(422, result.Status);
        Assert.Equal(
            "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch",
            result.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_UnknownContentType_Returns415()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(HttpMethod.Patch, $"{Sa}/wi-sa?fieldManager=m", Body("wi-sa"));

        Assert.Equal(415, result.Status);
        Assert.Equal(
            StatusBody(
                415,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, "
                + "application/strategic-merge-patch+json, application/apply-patch+yaml",
                details: null),
            result.Body);
    }

    [Theory]
    [InlineData("""{"apiVersion":"v1","metadata":{"name":"wi-sa"}}""", "invalid object type: /v1, Kind=")]
    [InlineData("""{"apiVersion":"apps/v1","kind":"ServiceAccount","metadata":{"name":"wi-sa"}}""",
        "invalid object type: apps/v1, Kind=ServiceAccount")]
    [InlineData("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"wi-sa","managedFields":[]}}""",
        "metadata.managedFields must be nil")]
    [InlineData("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"other"}}""",
        "the name of the object (other) does not match the name on the URL (wi-sa)")]
    [InlineData("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"wi-sa","namespace":"b"}}""",
        "the namespace of the provided object does not match the namespace sent on the request")]
    [InlineData("apiVersion: v1\nkind: [", "error decoding YAML:")]
    public async Task Apply_BadBody_Returns400BadRequest(string body, string message)
    {
        await using var harness = await StartAsync();

        var result = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", body);

        Assert.Equal(400, result.Status);
        Assert.Equal("BadRequest", result.Json["reason"]!.GetValue<string>());
        Assert.StartsWith(message, result.Json["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(result.Json["details"]);
    }

    [Fact]
    public async Task Apply_YamlBody_IsAccepted()
    {
        await using var harness = await StartAsync();
        const string Yaml = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: wi-sa\n"
            + "  annotations:\n    azure.workload.identity/client-id: \"1234\"\nautomountServiceAccountToken: false\n";

        var result = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", Yaml);

        Assert.Equal(201, result.Status);
        Assert.Equal("1234", result.Json["metadata"]!["annotations"]![ClientId]!.GetValue<string>());
        Assert.False(result.Json["automountServiceAccountToken"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Apply_MissingNamespace_Returns404Namespace()
    {
        await using var harness = await StartAsync();

        var result = await harness.ApplyServiceAccountAsync("nowhere", "wi-sa", Body("wi-sa"));

        Assert.Equal(404, result.Status);
        Assert.Equal(
            StatusBody(
                404, "NotFound", "namespaces \"nowhere\" not found", """{"name":"nowhere","kind":"namespaces"}"""),
            result.Body);
    }

    [Fact]
    public async Task Apply_TerminatingNamespace_RefusesCreateButAllowsUpdate()
    {
        await using var harness = await StartAsync();
        harness.State.SeedServiceAccount("team-a", "existing");
        harness.Emulator.MarkTerminating("team-a");

        var create = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", Body("wi-sa"));
        var update = await harness.ApplyServiceAccountAsync("team-a", "existing", Body("existing"));
        var ns = await harness.SendAsync(HttpMethod.Get, "api/v1/namespaces/team-a");

        Assert.Equal(403, create.Status);
        Assert.Equal(
            StatusBody(
                403,
                "Forbidden",
                "serviceaccounts \"wi-sa\" is forbidden: unable to create new content in namespace team-a because it "
                + "is being terminated",
                """{"name":"wi-sa","kind":"serviceaccounts","causes":[{"reason":"NamespaceTerminating",""" + "\""
                + """message":"namespace team-a is being terminated","field":"metadata.namespace"}]}"""),
            create.Body);
        Assert.Equal(200, update.Status);
        Assert.Equal("Terminating", ns.Json["status"]!["phase"]!.GetValue<string>());
        Assert.NotNull(ns.Metadata("deletionTimestamp"));
    }

    [Fact]
    public async Task Apply_NewThenSame_Returns201Then200AndNoOpKeepsResourceVersion()
    {
        await using var harness = await StartAsync();
        var body = Body("wi-sa", annotations: new() { [ClientId] = "1111" });

        var first = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", body);
        var writes = harness.State.WriteCount;
        var second = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", body);

        Assert.Equal(201, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(first.Metadata("resourceVersion"), second.Metadata("resourceVersion"));
        Assert.Equal(writes, harness.State.WriteCount);
        Assert.Equal(
            first.Json["metadata"]!["managedFields"]!.ToJsonString(),
            second.Json["metadata"]!["managedFields"]!.ToJsonString());
    }

    [Fact]
    public async Task Apply_Create_RecordsManagedFieldsInRealShape()
    {
        await using var harness = await StartAsync();

        var result = await harness.ApplyServiceAccountAsync(
            "team-a",
            "wi-sa",
            Body("wi-sa", new() { ["azure.workload.identity/use"] = "true" }, new() { [ClientId] = "1111" }));

        var entry = result.Json["metadata"]!["managedFields"]!.AsArray().Single()!.AsObject();
        var time = entry["time"]!.GetValue<string>();
        entry.Remove("time");
        Assert.Equal(
            """{"manager":"azdo-wi-task","operation":"Apply","apiVersion":"v1","fieldsType":"FieldsV1",""" + "\""
            + """fieldsV1":{"f:metadata":{"f:annotations":{"f:azure.workload.identity/client-id":{}},""" + "\""
            + """f:labels":{"f:azure.workload.identity/use":{}}}}}""",
            entry.ToJsonString());
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"), time);
        Assert.Equal("team-a", result.Metadata("namespace"));
    }

    [Fact]
    public async Task Apply_FieldDroppedThatApplierOwnedAlone_IsRemoved()
    {
        await using var harness = await StartAsync();
        await harness.ApplyServiceAccountAsync(
            "team-a", "wi-sa", Body("wi-sa", annotations: new() { [ClientId] = "1", ["x/tenant-id"] = "2" }));

        var result = await harness.ApplyServiceAccountAsync(
            "team-a", "wi-sa", Body("wi-sa", annotations: new() { [ClientId] = "1" }));

        Assert.Equal(200, result.Status);
        var annotations = harness.State.GetServiceAccount("team-a", "wi-sa")!["metadata"]!["annotations"]!;
        Assert.Equal("""{"azure.workload.identity/client-id":"1"}""", annotations.ToJsonString());
    }

    [Fact]
    public async Task Apply_SameValueAsAnotherManager_SharesOwnershipAndKeepsValueWhenOneDrops()
    {
        await using var harness = await StartAsync();
        harness.State.SeedServiceAccount(
            "team-a", "wi-sa", labels: new Dictionary<string, string> { ["team"] = "a" }, manager: "kubectl");

        var shared = await harness.ApplyServiceAccountAsync(
            "team-a", "wi-sa", Body("wi-sa", labels: new() { ["team"] = "a" }));
        var dropped = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", Body("wi-sa"));

        Assert.Equal(200, shared.Status);
        var owners = shared.Json["metadata"]!["managedFields"]!.AsArray()
            .Where(e => e!["fieldsV1"]!["f:metadata"]?["f:labels"]?["f:team"] is not null)
            .Select(e => e!["manager"]!.GetValue<string>())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["azdo-wi-task", "kubectl"], owners);
        Assert.Equal(200, dropped.Status);
        Assert.Equal("a", dropped.Json["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_DifferingValueOwnedByUpdateManager_Returns409ThenForceTakesOwnership()
    {
        await using var harness = await StartAsync();
        harness.State.SeedServiceAccount(
            "team-a",
            "wi-sa",
            labels: new Dictionary<string, string> { ["keep"] = "me" },
            annotations: new Dictionary<string, string> { [ClientId] = "old" });
        var body = Body("wi-sa", annotations: new() { [ClientId] = "new" });

        var conflict = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", body);
        var forced = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", body, force: true);

        Assert.Equal(409, conflict.Status);
        Assert.Equal(
            StatusBody(
                409,
                "Conflict",
                "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: "
                + ".metadata.annotations.azure.workload.identity/client-id",
                """{"causes":[{"reason":"FieldManagerConflict","message":"conflict with """
                + """\"kubectl-client-side-apply\" using v1","field":".metadata.annotations.azure.workload."""
                + """identity/client-id"}]}"""),
            conflict.Body);
        Assert.Equal(200, forced.Status);
        var stored = harness.State.GetServiceAccount("team-a", "wi-sa")!;
        Assert.Equal("new", stored["metadata"]!["annotations"]![ClientId]!.GetValue<string>());
        Assert.Equal("me", stored["metadata"]!["labels"]!["keep"]!.GetValue<string>());
        var other = stored["metadata"]!["managedFields"]!.AsArray()
            .Single(e => e!["manager"]!.GetValue<string>() == "kubectl-client-side-apply")!;
        Assert.Equal("""{"f:metadata":{"f:labels":{"f:keep":{}}}}""", other["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task Apply_ConflictsWithSeveralManagers_ListsThemSorted()
    {
        await using var harness = await StartAsync();
        harness.State.SeedServiceAccount(
            "team-a", "wi-sa", annotations: new Dictionary<string, string> { ["b/x"] = "1", ["a/y"] = "1" },
            manager: "zeta", operation: "Apply");
        await harness.SendAsync(
            HttpMethod.Patch,
            $"{Sa}/wi-sa?fieldManager=alpha",
            """{"metadata":{"labels":{"l":"1"}}}""",
            "application/merge-patch+json");

        var result = await harness.ApplyServiceAccountAsync(
            "team-a",
            "wi-sa",
            Body("wi-sa", new() { ["l"] = "2" }, new() { ["a/y"] = "2", ["b/x"] = "2" }));

        Assert.Equal(409, result.Status);
        Assert.Equal(
            "Apply failed with 3 conflicts: conflicts with \"alpha\" using v1:\n- .metadata.labels.l\n"
            + "conflicts with \"zeta\":\n- .metadata.annotations.a/y\n- .metadata.annotations.b/x",
            result.Json["message"]!.GetValue<string>());
        Assert.Equal(3, result.Json["details"]!["causes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Apply_InvalidLabelValue_Returns422WithRealMessage()
    {
        await using var harness = await StartAsync();

        var result = await harness.ApplyServiceAccountAsync(
            "team-a", "wi-sa", Body("wi-sa", labels: new() { ["azure.workload.identity/use"] = "true!" }));

        Assert.Equal(422, result.Status);
        const string Detail = "Invalid value: \"true!\": a valid label must be an empty string or consist of "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
            + "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
        Assert.Equal(
            $"ServiceAccount \"wi-sa\" is invalid: metadata.labels: {Detail}",
            result.Json["message"]!.GetValue<string>());
        var cause = result.Json["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("metadata.labels", cause["field"]!.GetValue<string>());
        Assert.Equal(Detail, cause["message"]!.GetValue<string>());
        Assert.Equal("ServiceAccount", result.Json["details"]!["kind"]!.GetValue<string>());
        Assert.Null(harness.State.GetServiceAccount("team-a", "wi-sa"));
    }

    [Fact]
    public async Task Apply_BadNameAndAnnotations_Returns422WithAllCauses()
    {
        await using var harness = await StartAsync();
        var huge = new string('v', 262_144);

        var result = await harness.ApplyServiceAccountAsync(
            "team-a", "Bad_Name", Body("Bad_Name", annotations: new() { ["a/b/c"] = "x", ["big"] = huge }));

        Assert.Equal(422, result.Status);
        var message = result.Json["message"]!.GetValue<string>();
        Assert.StartsWith(
            "ServiceAccount \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC "
            + "1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
            + "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
            + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), metadata.annotations: Invalid "
            + "value: \"a/b/c\": a qualified name must consist of",
            message,
            StringComparison.Ordinal);
        Assert.EndsWith(
            "metadata.annotations: Too long: may not be more than 262144 bytes]", message, StringComparison.Ordinal);
        var reasons = result.Json["details"]!["causes"]!.AsArray().Select(c => c!["reason"]!.GetValue<string>());
        Assert.Equal(["FieldValueInvalid", "FieldValueInvalid", "FieldValueTooLong"], reasons);
    }

    [Fact]
    public async Task Apply_DryRun_AnswersWithoutStoring()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(
            HttpMethod.Patch,
            $"{Sa}/wi-sa?fieldManager=m&dryRun=All",
            Body("wi-sa"),
            "application/apply-patch+yaml");

        Assert.Equal(201, result.Status);
        Assert.Equal("wi-sa", result.Metadata("name"));
        Assert.Null(harness.State.GetServiceAccount("team-a", "wi-sa"));
        Assert.Equal(0, harness.State.WriteCount);
    }

    [Fact]
    public async Task MergePatch_Annotations_RecordsUpdateManagerAndKeepsOtherFields()
    {
        await using var harness = await StartAsync();
        await harness.ApplyServiceAccountAsync(
            "team-a", "wi-sa", Body("wi-sa", new() { ["l"] = "1" }, new() { [ClientId] = "1" }));

        var result = await harness.SendAsync(
            HttpMethod.Patch,
            $"{Sa}/wi-sa?fieldManager=kubectl-annotate",
            """{"metadata":{"annotations":{"note":"hi"}}}""",
            "application/strategic-merge-patch+json");

        Assert.Equal(200, result.Status);
        var metadata = result.Json["metadata"]!;
        Assert.Equal(
            """{"azure.workload.identity/client-id":"1","note":"hi"}""", metadata["annotations"]!.ToJsonString());
        Assert.Equal("1", metadata["labels"]!["l"]!.GetValue<string>());
        var update = metadata["managedFields"]!.AsArray().Single(e => e!["operation"]!.GetValue<string>() == "Update")!;
        Assert.Equal("kubectl-annotate", update["manager"]!.GetValue<string>());
        Assert.Equal("""{"f:metadata":{"f:annotations":{"f:note":{}}}}""", update["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public async Task MergePatch_MissingObject_Returns404()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(
            HttpMethod.Patch, $"{Sa}/wi-sa?fieldManager=m", """{"metadata":{}}""", "application/merge-patch+json");

        Assert.Equal(404, result.Status);
        Assert.Equal("serviceaccounts \"wi-sa\" not found", result.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateServiceAccount_RecordsUpdateUnderFieldManagerThenDeleteRemovesIt()
    {
        await using var harness = await StartAsync();

        var created = await harness.SendAsync(
            HttpMethod.Post, $"{Sa}?fieldManager=kubectl-create", """{"metadata":{"name":"x","labels":{"a":"b"}}}""");
        var duplicate = await harness.SendAsync(HttpMethod.Post, Sa, """{"metadata":{"name":"x"}}""");
        var list = await harness.SendAsync(HttpMethod.Get, Sa);
        var deleted = await harness.SendAsync(HttpMethod.Delete, $"{Sa}/x");

        Assert.Equal(201, created.Status);
        var entry = created.Json["metadata"]!["managedFields"]![0]!;
        Assert.Equal("kubectl-create", entry["manager"]!.GetValue<string>());
        Assert.Equal("Update", entry["operation"]!.GetValue<string>());
        Assert.Equal("""{"f:metadata":{"f:labels":{".":{},"f:a":{}}}}""", entry["fieldsV1"]!.ToJsonString());
        Assert.Equal(409, duplicate.Status);
        Assert.Equal("ServiceAccountList", list.Json["kind"]!.GetValue<string>());
        Assert.Single(list.Json["items"]!.AsArray());
        Assert.Equal(200, deleted.Status);
        Assert.Equal("ServiceAccount", deleted.Json["kind"]!.GetValue<string>());
        Assert.Equal(created.Metadata("uid"), deleted.Metadata("uid"));
        Assert.Null(harness.State.GetServiceAccount("team-a", "x"));
    }

    [Fact]
    public async Task CreateServiceAccount_WithoutFieldManager_UsesUserAgentPrefix()
    {
        await using var harness = await StartAsync();

        var result = await harness.SendAsync(
            HttpMethod.Post,
            Sa,
            """{"metadata":{"name":"x","labels":{"a":"b"}}}""",
            userAgent: "kubernetes-csharp/21.0.8+75f253d651");

        var manager = result.Json["metadata"]!["managedFields"]![0]!["manager"]!.GetValue<string>();
        Assert.Equal("kubernetes-csharp", manager);
    }

    [Fact]
    public async Task ApplyNamespace_NewThenAgain_Returns201Then200WithServerLabel()
    {
        await using var harness = await StartAsync();
        const string Body = """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-b"}}""";

        const string Path = "api/v1/namespaces/team-b?fieldManager=m&force=true";
        const string Apply = "application/apply-patch+yaml";

        var first = await harness.SendAsync(HttpMethod.Patch, Path, Body, Apply);
        var second = await harness.SendAsync(HttpMethod.Patch, Path, Body, Apply);

        Assert.Equal(201, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(first.Metadata("resourceVersion"), second.Metadata("resourceVersion"));
        Assert.Equal("team-b", second.Json["metadata"]!["labels"]!["kubernetes.io/metadata.name"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteNamespace_LeavesItTerminatingAndRefusesNewContent()
    {
        await using var harness = await StartAsync();

        var deleted = await harness.SendAsync(HttpMethod.Delete, "api/v1/namespaces/team-a");
        var create = await harness.SendAsync(HttpMethod.Post, Sa, """{"metadata":{"name":"x"}}""");
        var again = await harness.SendAsync(
            HttpMethod.Post, "api/v1/namespaces", """{"metadata":{"name":"team-a"}}""");

        Assert.Equal(200, deleted.Status);
        Assert.Equal("Terminating", deleted.Json["status"]!["phase"]!.GetValue<string>());
        Assert.Equal(403, create.Status);
        Assert.Equal(
            "NamespaceTerminating", create.Json["details"]!["causes"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal(
            "object is being deleted: namespaces \"team-a\" already exists", again.Json["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_UnknownField_WarnsByDefaultAndFailsWhenStrict()
    {
        await using var harness = await StartAsync();
        const string Body = """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"wi-sa"},"foo":1}""";

        var warned = await harness.ApplyServiceAccountAsync("team-a", "wi-sa", Body);
        var strict = await harness.SendAsync(
            HttpMethod.Patch,
            $"{Sa}/wi-sa?fieldManager=m&fieldValidation=Strict",
            Body,
            "application/apply-patch+yaml");

        Assert.Equal(201, warned.Status);
        Assert.Equal("299 - \"unknown field \\\"foo\\\"\"", Assert.Single(warned.Headers["Warning"]));
        Assert.Equal(400, strict.Status);
        Assert.Equal(
            "failed to create typed patch object (/v1, Kind=ServiceAccount): .foo: field not declared in schema",
            strict.Json["message"]!.GetValue<string>());
    }

    private async Task<KubernetesEmulatorHarness> StartAsync()
    {
        var harness = await KubernetesEmulatorHarness.StartAsync(fixture.Authority);
        harness.State.AddNamespace("team-a");
        return harness;
    }

    private static string Body(
        string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? annotations = null) =>
        KubernetesEmulatorHarness.ServiceAccountJson(name, labels: labels, annotations: annotations);

    /// <summary>A failure Status exactly as the apiserver serialises it (Go's encoding/json, compact).</summary>
    private static string StatusBody(int code, string reason, string message, string? details)
    {
        var escaped = message.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
        var detailsPart = details is null ? "" : ",\"details\":" + details;
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + $"\"message\":\"{escaped}\",\"reason\":\"{reason}\"{detailsPart},\"code\":{code}}}";
    }

    private static void AssertJsonEqual(JsonNode expected, JsonNode actual) =>
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"expected {expected.ToJsonString()}\nactual   {actual.ToJsonString()}");
}
