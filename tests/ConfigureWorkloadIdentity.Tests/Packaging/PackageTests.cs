using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;
using ConfigureWorkloadIdentity.Tests.EndToEnd;

namespace ConfigureWorkloadIdentity.Tests.Packaging;

/// <summary>
/// The built .vsix (CWI_VSIX): unzipped, its task found through its contribution, and the packaged task for this
/// machine's platform run the way the agent runs it, against the emulated Azure and cluster.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageTests : IAsyncLifetime
{
    private static readonly string[] Platforms = ["linux-x64", "linux-arm64", "win-x64", "osx-arm64", "osx-x64"];

    private EmulatedWorld _world = null!;

    public async Task InitializeAsync() => _world = await EmulatedWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [PackageFact]
    public async Task PackagedTask_OnThisPlatform_CreatesCredentialAndServiceAccount()
    {
        using var extension = UnpackedExtension.Open();
        var taskFolder = extension.TaskFolder();
        var harness = new AgentHarness(taskFolder, Path.Combine(taskFolder, "bin", AgentHarness.CurrentRid));

        using var run = await harness.RunAsync(_world.CreateJob());

        EndToEndAssert.Succeeded(run);
        var scenario = _world.Scenario;
        var credential = Assert.Single(_world.Azure.State.GetFederatedCredentials(
            scenario.SubscriptionId, scenario.IdentityResourceGroup, scenario.IdentityName));
        Assert.Equal(scenario.IssuerUrl, credential.Issuer);
        Assert.Equal($"system:serviceaccount:{scenario.Namespace}:{scenario.ServiceAccountName}", credential.Subject);
        var (exitCode, stdout, stderr) = await _world.Kubectl.RunAsync(
            ["get", "serviceaccount", scenario.ServiceAccountName, "-n", scenario.Namespace, "-o", "json"]);
        Assert.True(exitCode == 0, stderr);
        var annotations = JsonNode.Parse(stdout)!["metadata"]!["annotations"]!;
        Assert.Equal(scenario.ClientId, (string?)annotations["azure.workload.identity/client-id"]);
        Assert.Equal(scenario.ClientId, run.GetVariable("clientId"));
        Assert.Contains(run.Lines, l => l.StartsWith("Configure Workload Identity ", StringComparison.Ordinal));
    }

    [PackageFact]
    public void Package_ShipsEveryPlatformAndTheListing()
    {
        using var extension = UnpackedExtension.Open();
        var taskFolder = extension.TaskFolder();
        var task = JsonNode.Parse(File.ReadAllText(Path.Combine(taskFolder, "task.json")))!;
        var version = task["version"]!;

        foreach (var platform in Platforms)
        {
            var name = platform.StartsWith("win-", StringComparison.Ordinal)
                ? "ConfigureWorkloadIdentity.exe"
                : "ConfigureWorkloadIdentity";
            var binary = new FileInfo(Path.Combine(taskFolder, "bin", platform, name));
            Assert.True(binary.Exists, $"The package has no {platform} binary ({binary.FullName}).");
            Assert.True(binary.Length > 1_000_000, $"The {platform} binary is only {binary.Length} bytes.");
            Assert.Single(Directory.GetFiles(binary.DirectoryName!));
        }

        Assert.True(File.Exists(Path.Combine(taskFolder, "run.js")));
        Assert.True(File.Exists(Path.Combine(taskFolder, "icon.png")));
        Assert.Equal($"{version["Major"]}.{version["Minor"]}.{version["Patch"]}",
            (string?)extension.Identity.Attribute("Version"));
        Assert.Equal("configure-workload-identity", (string?)extension.Identity.Attribute("Id"));
        var assets = extension.Assets;
        var icon = Path.Combine(extension.Folder, assets["Microsoft.VisualStudio.Services.Icons.Default"]);
        Assert.True(File.Exists(icon), $"The listing's icon {icon} is missing.");
        var details = File.ReadAllText(Path.Combine(extension.Folder,
            assets["Microsoft.VisualStudio.Services.Content.Details"]));
        Assert.Contains("## Quick start", details, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(extension.Folder, "node_modules")));
    }
}
