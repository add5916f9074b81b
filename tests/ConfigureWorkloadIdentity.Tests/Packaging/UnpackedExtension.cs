using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace ConfigureWorkloadIdentity.Tests.Packaging;

/// <summary>A .vsix unzipped into a temp folder, with the task found the way Azure DevOps finds it.</summary>
internal sealed class UnpackedExtension : IDisposable
{
    private static readonly XNamespace Vsix = "http://schemas.microsoft.com/developer/vsx-schema/2011";

    private UnpackedExtension(string vsix, string folder)
    {
        VsixPath = vsix;
        Folder = folder;
        Manifest = XDocument.Load(Path.Combine(folder, "extension.vsixmanifest"));
        Contributions = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "extension.vsomanifest")))!
            ["contributions"]!.AsArray();
    }

    /// <summary>The package.</summary>
    public string VsixPath { get; }

    /// <summary>Where it was unzipped.</summary>
    public string Folder { get; }

    /// <summary>extension.vsixmanifest: identity, display name, assets.</summary>
    public XDocument Manifest { get; }

    /// <summary>extension.vsomanifest's contributions.</summary>
    public JsonArray Contributions { get; }

    /// <summary>The Identity element's attributes: Id, Version, Publisher.</summary>
    public XElement Identity => Manifest.Descendants(Vsix + "Identity").Single();

    /// <summary>Asset types (e.g. Microsoft.VisualStudio.Services.Icons.Default) and their paths.</summary>
    public IReadOnlyDictionary<string, string> Assets =>
        Manifest.Descendants(Vsix + "Asset").ToDictionary(a => (string)a.Attribute("Type")!,
            a => (string)a.Attribute("Path")!);

    /// <summary>Opens the package CWI_VSIX names.</summary>
    public static UnpackedExtension Open()
    {
        var vsix = Environment.GetEnvironmentVariable(PackageFactAttribute.VsixVariable);
        Assert.False(string.IsNullOrEmpty(vsix), $"{PackageFactAttribute.VsixVariable} is not set.");
        Assert.True(File.Exists(vsix), $"{PackageFactAttribute.VsixVariable} names {vsix}, which does not exist.");
        var folder = Directory.CreateTempSubdirectory("cwi-vsix-").FullName;
        ZipFile.ExtractToDirectory(vsix, folder);
        return new UnpackedExtension(Path.GetFullPath(vsix), folder);
    }

    /// <summary>
    /// The folder of the task contribution: its properties.name, holding task.json there or one level below,
    /// as tfx and the server resolve it.
    /// </summary>
    public string TaskFolder()
    {
        var task = Assert.Single(Contributions, c => (string?)c!["type"] == "ms.vss-distributed-task.task")!;
        Assert.Equal(["ms.vss-distributed-task.tasks"], task["targets"]!.AsArray().Select(t => (string?)t));
        var folder = Path.Combine(Folder, (string)task["properties"]!["name"]!);
        if (File.Exists(Path.Combine(folder, "task.json")))
        {
            return folder;
        }

        return Assert.Single(Directory.GetDirectories(folder), d => File.Exists(Path.Combine(d, "task.json")));
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
