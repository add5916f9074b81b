using System.Reflection;

namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>Finds the task folder and the built executable from wherever a test or the sandbox runs.</summary>
public static class RepositoryLayout
{
    /// <summary>The repository root: the nearest folder up from the running assembly holding Extension.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>task/ConfigureWorkloadIdentityV1 (task.json and the Node shim).</summary>
    public static string TaskFolder => Path.Combine(Root, "task", "ConfigureWorkloadIdentityV1");

    /// <summary>
    /// The folder holding the built executable: CWI_BINARY_DIR when set (e.g. a published binary), else the
    /// build output of src/ConfigureWorkloadIdentity for the same configuration as the running assembly.
    /// </summary>
    public static string BinaryFolder
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CWI_BINARY_DIR") is { Length: > 0 } explicitFolder)
            {
                return explicitFolder;
            }

            // <artifacts>/bin/<project>/<configuration>/ is the layout of UseArtifactsOutput, wherever
            // ArtifactsPath points: the executable sits beside the running project's folder.
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var folder = Path.Combine(here.Parent!.Parent!.FullName, "ConfigureWorkloadIdentity", here.Name);
            return File.Exists(Path.Combine(folder, "ConfigureWorkloadIdentity.dll"))
                ? folder
                : throw new InvalidOperationException(
                    $"The executable is not built at {folder}; build Extension.sln first (dotnet build).");
        }
    }

    private static string FindRoot()
    {
        var built = typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Extension.sln")))
        {
            return built;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Extension.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Extension.sln above {AppContext.BaseDirectory}.");
    }
}
