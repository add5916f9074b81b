using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.Packaging;

/// <summary>
/// vss-extension.json: what tfx packs and the Marketplace shows, consistent with the task. Its paths are relative
/// to task/, the content build.ps1 stages beside the manifest as tfx's root.
/// </summary>
public sealed class ExtensionManifestTests
{
    private static readonly string PackageRoot = Path.Combine(RepositoryLayout.Root, "task");

    private readonly JsonObject _manifest =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Root, "vss-extension.json")))!.AsObject();

    private readonly JsonObject _task = TaskManifestTests.LoadTask();

    [Fact]
    public void Manifest_HasWhatTheMarketplaceRequires()
    {
        Assert.Equal(1, (int)_manifest["manifestVersion"]!);
        Assert.Matches("^[A-Za-z0-9-]+$", (string)_manifest["id"]!);
        Assert.Matches("^[A-Za-z0-9][A-Za-z0-9-]*$", (string)_manifest["publisher"]!);
        Assert.InRange(((string)_manifest["name"]!).Length, 1, 200);
        Assert.False(string.IsNullOrWhiteSpace((string?)_manifest["description"]));
        Assert.Contains("Azure Pipelines", _manifest["categories"]!.AsArray().Select(c => (string?)c));
        Assert.NotEmpty(_manifest["tags"]!.AsArray());
        Assert.Equal("Microsoft.VisualStudio.Services", (string?)_manifest["targets"]![0]!["id"]);
        Assert.StartsWith("https://", (string)_manifest["repository"]!["uri"]!, StringComparison.Ordinal);
        Assert.All(_manifest["links"]!.AsObject(),
            l => Assert.StartsWith("https://", (string)l.Value!["uri"]!, StringComparison.Ordinal));
    }

    [Fact]
    public void Version_IsTheTasks()
    {
        // build.ps1 package keeps it so; a hand edit of one without the other fails here first.
        var v = _task["version"]!;

        Assert.Equal($"{v["Major"]}.{v["Minor"]}.{v["Patch"]}", (string?)_manifest["version"]);
    }

    [Fact]
    public void TaskContribution_NamesTheFolderThatHoldsTaskJson()
    {
        var contribution = Assert.Single(_manifest["contributions"]!.AsArray())!;
        Assert.Equal("ms.vss-distributed-task.task", (string?)contribution["type"]);
        Assert.Equal(["ms.vss-distributed-task.tasks"], contribution["targets"]!.AsArray().Select(t => (string?)t));
        var name = (string)contribution["properties"]!["name"]!;

        var file = Assert.Single(_manifest["files"]!.AsArray(), f => (string?)f!["path"] == name)!;

        // tfx looks for task.json in <root>/<properties.name>, not where files put the folder.
        Assert.Null(file["packagePath"]);
        var folder = Path.Combine(PackageRoot, name);
        Assert.Equal(Path.GetFullPath(RepositoryLayout.TaskFolder), Path.GetFullPath(folder));
        Assert.True(File.Exists(Path.Combine(folder, "task.json")));
    }

    [Fact]
    public void ListingAssets_Exist()
    {
        var overview = Path.Combine(PackageRoot, (string)_manifest["content"]!["details"]!["path"]!);
        var text = File.ReadAllText(overview);
        foreach (var heading in new[]
                 {
                     "## What it does", "## Why", "## Quick start", "## Inputs", "## Output variables",
                     "## What the connections need", "## Troubleshooting",
                 })
        {
            Assert.Contains(heading, text, StringComparison.Ordinal);
        }

        // Every input and output of task.json is in the listing's tables.
        foreach (var name in _task["inputs"]!.AsArray().Concat(_task["outputVariables"]!.AsArray())
                     .Select(i => (string)i!["name"]!))
        {
            Assert.Contains($"| `{name}` |", text, StringComparison.Ordinal);
        }

        var icon = Path.Combine(PackageRoot, (string)_manifest["icons"]!["default"]!);
        Assert.Equal((128, 128), PngSize(icon));
        Assert.Equal((128, 128), PngSize(Path.Combine(RepositoryLayout.TaskFolder, "icon.png")));
    }

    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)),
            BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}
