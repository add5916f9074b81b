using System.Text.Json;
using ConfigureWorkloadIdentity.Emulators.Agent;
using Xunit;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Agent;

public sealed class AgentHarnessTests
{
    // The environment exactly as the binary received it: dash would drop names such as ENDPOINT_URL_<guid> or
    // agent.jobstatus (not shell identifiers) before `env` could print them, so read the exec-time block.
    private const string DumpEnvironment =
        "cat /proc/$$/environ > \"$AGENT_TEMPDIRECTORY/env.bin\"\n"
        + "echo '##vso[task.complete result=Succeeded;]dumped'";

    private static readonly ServiceEndpoint Arm = new(
        Guid.Parse("0E2A7C0B-95F4-4B4B-A33B-6D1B8B1A0C11"),
        new Uri("https://management.azure.com/"),
        "WorkloadIdentityFederation",
        new Dictionary<string, string> { ["serviceprincipalid"] = "client-1", ["tenantid"] = "tenant-1" },
        new Dictionary<string, string> { ["subscriptionId"] = "sub-1", ["environment"] = "AzureCloud" });

    private static readonly ServiceEndpoint Unreferenced = new(
        Guid.NewGuid(),
        new Uri("https://example.invalid/"),
        "ServicePrincipal",
        new Dictionary<string, string> { ["serviceprincipalkey"] = "other-key" });

    [Fact]
    public async Task RunAsync_Inputs_DefaultedTrimmedAndNormalised()
    {
        using var run = await RunDumpAsync(new AgentJob
        {
            CheckSecrets = false, // the stand-in shows its secrets on purpose
            Inputs =
            {
                ["azureSubscription"] = Arm.Id.ToString(),
                ["namespace"] = "  apps  ",
                ["resourceGroup"] = "$(rg)",
            },
            Variables = { ["rg"] = "rg-from-variable" },
            Endpoints = { Arm },
        });
        var seen = ReadDump(run);

        Assert.Equal("apps", seen["INPUT_NAMESPACE"]);
        Assert.Equal("aksCluster", seen["INPUT_ISSUERSOURCE"]);
        Assert.Equal("true", seen["INPUT_CREATENAMESPACE"]);
        Assert.Equal(string.Empty, seen["INPUT_CLUSTERNAME"]);
        Assert.Equal("rg-from-variable", seen["INPUT_RESOURCEGROUP"]);
        Assert.Equal(Arm.Id.ToString(), seen["INPUT_AZURESUBSCRIPTION"]);
    }

    [Fact]
    public async Task RunAsync_Endpoints_OnlyReferencedOnesAndSystemVssConnection()
    {
        var job = new AgentJob
        {
            CheckSecrets = false, // the stand-in shows its secrets on purpose
            Inputs = { ["azureSubscription"] = Arm.Id.ToString().ToUpperInvariant() },
            Endpoints = { Arm, Unreferenced },
            SystemAccessToken = "job-token",
            CollectionUri = new Uri("https://127.0.0.1:5001/org/"),
        };
        using var run = await RunDumpAsync(job);
        var seen = ReadDump(run);
        string id = "0e2a7c0b-95f4-4b4b-a33b-6d1b8b1a0c11";

        Assert.Equal("https://management.azure.com/", seen[$"ENDPOINT_URL_{id}"]);
        Assert.Equal("WorkloadIdentityFederation", seen[$"ENDPOINT_AUTH_SCHEME_{id}"]);
        Assert.Equal("client-1", seen[$"ENDPOINT_AUTH_PARAMETER_{id}_SERVICEPRINCIPALID"]);
        Assert.Equal("tenant-1", seen[$"ENDPOINT_AUTH_PARAMETER_{id}_TENANTID"]);
        Assert.Equal("sub-1", seen[$"ENDPOINT_DATA_{id}_SUBSCRIPTIONID"]);
        using (var auth = JsonDocument.Parse(seen[$"ENDPOINT_AUTH_{id}"]))
        {
            Assert.Equal("WorkloadIdentityFederation", auth.RootElement.GetProperty("scheme").GetString());
            Assert.Equal("client-1",
                auth.RootElement.GetProperty("parameters").GetProperty("serviceprincipalid").GetString());
        }

        Assert.Equal("""{"subscriptionId":"sub-1","environment":"AzureCloud"}""", seen[$"ENDPOINT_DATA_{id}"]);
        Assert.Equal("job-token", seen["ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN"]);
        Assert.Equal("OAuth", seen["ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION"]);
        Assert.Equal("https://127.0.0.1:5001/org/", seen["ENDPOINT_URL_SYSTEMVSSCONNECTION"]);
        Assert.False(seen.ContainsKey("ENDPOINT_DATA_SYSTEMVSSCONNECTION"));
        Assert.DoesNotContain(seen.Keys, k => k.Contains(Unreferenced.Id.ToString(), StringComparison.Ordinal));
        Assert.StartsWith("https://127.0.0.1:5001/org/", seen["SYSTEM_OIDCREQUESTURI"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Variables_PublicSecretAndOverrides()
    {
        var job = new AgentJob
        {
            CheckSecrets = false, // the stand-in shows its secrets on purpose
            Variables = { ["my.var name"] = "v1", ["agent.name"] = "custom-agent" },
            SecretVariables = { ["my.password"] = "hunter2" },
        };
        using var run = await RunDumpAsync(job);
        var seen = ReadDump(run);

        Assert.Equal("v1", seen["MY_VAR_NAME"]);
        Assert.Equal("custom-agent", seen["AGENT_NAME"]);
        Assert.Equal("hunter2", seen["SECRET_MY_PASSWORD"]);
        Assert.False(seen.ContainsKey("MY_PASSWORD"));
        Assert.Contains("my.var name", JsonSerializer.Deserialize<string[]>(seen["VSTS_PUBLIC_VARIABLES"])!);
        Assert.Equal(["my.password"], JsonSerializer.Deserialize<string[]>(seen["VSTS_SECRET_VARIABLES"])!);
        Assert.Equal("build", seen["SYSTEM_HOSTTYPE"]);
        Assert.Equal("false", seen["SYSTEM_DEBUG"]);
        Assert.Equal("4.264.2", seen["AGENT_VERSION"]);
        Assert.Equal("Succeeded", seen["agent.jobstatus"]);
    }

    [Fact]
    public async Task RunAsync_Environment_MinimalFreshAndJobEntriesLast()
    {
        var job = new AgentJob
        {
            CheckSecrets = false, // the stand-in shows its secrets on purpose
            Environment = { ["SSL_CERT_FILE"] = "/tmp/ca.pem", ["SYSTEM_OIDCREQUESTURI"] = null },
        };
        using var run = await RunDumpAsync(job);
        var seen = ReadDump(run);

        Assert.Equal(run.HomeDirectory, seen["HOME"]);
        Assert.Equal(run.TempDirectory, seen["TMPDIR"]);
        Assert.Equal(run.TempDirectory, seen["AGENT_TEMPDIRECTORY"]);
        Assert.Equal(run.SourcesDirectory, seen["SYSTEM_DEFAULTWORKINGDIRECTORY"]);
        Assert.Equal("/tmp/ca.pem", seen["SSL_CERT_FILE"]);
        Assert.False(seen.ContainsKey("SYSTEM_OIDCREQUESTURI"));

        // The shim passes the environment on unchanged, and nothing of the test process leaks in beyond the base.
        Assert.Equal(run.Environment.OrderBy(e => e.Key), seen.OrderBy(e => e.Key));
        string[] allowed = ["PATH", "HOME", "LANG", "TMPDIR", "DOTNET_ROOT", "SSL_CERT_FILE"];
        string[] prefixes = ["INPUT_", "ENDPOINT_", "SYSTEM_", "AGENT_", "BUILD_", "TASK_", "VSTS_", "TF_BUILD"];
        Assert.All(seen.Keys, key => Assert.True(
            allowed.Contains(key) || prefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))
            || key == "agent.jobstatus",
            $"unexpected variable {key}"));
    }

    [Fact]
    public async Task RunAsync_Layout_LikeTheAgentsWorkFolder()
    {
        using var standIn = StandInBinary.Create(DumpEnvironment);
        using var run = await standIn.Harness().RunAsync(new AgentJob { CheckSecrets = false });

        string expected = Path.Combine(run.WorkFolder, "_tasks",
            "ConfigureWorkloadIdentity_3225cf53-dd27-4ab6-bc65-010fba933922", "1.0.0");
        Assert.Equal(expected, run.TaskDirectory);
        Assert.True(File.Exists(Path.Combine(expected, "task.json")));
        Assert.True(File.Exists(Path.Combine(expected, "run.js")));
        Assert.True(File.Exists(Path.Combine(expected, "bin", AgentHarness.CurrentRid, "ConfigureWorkloadIdentity")));
        Assert.Equal([Path.Combine(run.TempDirectory, "env.bin")], run.ListFilesLeftBehind());

        string root = Path.GetDirectoryName(run.WorkFolder)!;
        run.Dispose();
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task RunAsync_UndeclaredInputOrEndpoint_Throws()
    {
        using var standIn = StandInBinary.Create("exit 0");
        var harness = standIn.Harness();
        await Assert.ThrowsAsync<ArgumentException>(
            () => harness.RunAsync(new AgentJob { Inputs = { ["nameSpace2"] = "x" } }));
        await Assert.ThrowsAsync<ArgumentException>(
            () => harness.RunAsync(new AgentJob { Inputs = { ["azureSubscription"] = Guid.NewGuid().ToString() } }));
    }

    [Fact]
    public async Task RunAsync_EndpointSecrets_MaskedButIdsOfTheAgentListShown()
    {
        using var standIn = StandInBinary.Create(
            "tr '\\0' '\\n' < /proc/$$/environ | grep -e _TENANTID= -e _SERVICEPRINCIPALID=\n"
            + "echo \"token $ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN\"\n"
            + "echo \"secret $SECRET_PW\"");
        using var run = await standIn.Harness().RunAsync(new AgentJob
        {
            CheckSecrets = false, // the stand-in shows its secrets on purpose
            Inputs = { ["azureSubscription"] = Arm.Id.ToString() },
            Endpoints = { Arm },
            SecretVariables = { ["pw"] = "hunter2" },
            SystemAccessToken = "job-token",
        });

        // As in the agent's MaskingUtil: tenantid is shown, serviceprincipalid is masked like any other parameter.
        Assert.Contains("_TENANTID=tenant-1", run.MaskedLog, StringComparison.Ordinal);
        Assert.Contains("_SERVICEPRINCIPALID=***", run.MaskedLog, StringComparison.Ordinal);
        Assert.Contains("token ***", run.MaskedLog, StringComparison.Ordinal);
        Assert.Contains("secret ***", run.MaskedLog, StringComparison.Ordinal);
        Assert.Contains("token job-token", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo \"token: $SECRET_PW\"", "output line 1: token: <secret of 7 chars>")]
    [InlineData("echo \"$SECRET_PW\" >&2", "stderr")]
    [InlineData("echo \"$SECRET_PW\" > \"$AGENT_TEMPDIRECTORY/key.txt\"", "file left behind ")]
    [InlineData("echo guarded-42 > \"$AGENT_TEMPDIRECTORY/s.md\"\n"
        + "echo \"##vso[task.uploadsummary]$AGENT_TEMPDIRECTORY/s.md\"", "job summary ")]
    public async Task RunAsync_SecretInAnyOutput_ThrowsNamingThePlaceNotTheSecret(string script, string place)
    {
        using var standIn = StandInBinary.Create(script);

        var leaked = await Assert.ThrowsAsync<SecretLeakedException>(() => standIn.Harness().RunAsync(new AgentJob
        {
            SecretVariables = { ["pw"] = "hunter2" },
            GuardedSecrets = () => ["guarded-42"],
        }));

        Assert.Contains(leaked.Places, p => p.StartsWith(place, StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", leaked.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("guarded-42", leaked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SecretOnlyRegisteredForMasking_Passes()
    {
        using var standIn = StandInBinary.Create("echo \"##vso[task.setsecret]$SECRET_PW\"\necho done");

        using var run = await standIn.Harness().RunAsync(new AgentJob { SecretVariables = { ["pw"] = "hunter2" } });

        Assert.Equal(TaskResult.Succeeded, run.Result);
    }

    private static async Task<TaskRun> RunDumpAsync(AgentJob job)
    {
        using var standIn = StandInBinary.Create(DumpEnvironment);
        var run = await standIn.Harness().RunAsync(job);
        Assert.Equal(TaskResult.Succeeded, run.Result);
        return run;
    }

    // What the stand-in binary saw, from its `env -0` dump.
    private static Dictionary<string, string> ReadDump(TaskRun run) =>
        File.ReadAllText(Path.Combine(run.TempDirectory, "env.bin"))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
}
