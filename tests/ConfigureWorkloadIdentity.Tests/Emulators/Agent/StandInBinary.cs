using System.Runtime.CompilerServices;
using ConfigureWorkloadIdentity.Emulators.Agent;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Agent;

/// <summary>
/// A <c>#!/bin/sh</c> script named like the task's binary, standing in for it in harness and shim tests.
/// </summary>
internal sealed class StandInBinary : IDisposable
{
    private StandInBinary(string folder) => Folder = folder;

    /// <summary>The folder holding the script, given to the harness as its binary folder.</summary>
    public string Folder { get; }

    /// <summary>The task source folder of the repository (task.json and run.js).</summary>
    public static string TaskFolder { get; } = FindTaskFolder();

    public static StandInBinary Create(string script)
    {
        string folder = Directory.CreateTempSubdirectory("cwi-standin-").FullName;
        File.WriteAllText(Path.Combine(folder, "ConfigureWorkloadIdentity"), "#!/bin/sh\n" + script + "\n");
        return new StandInBinary(folder);
    }

    public AgentHarness Harness(string? rid = null) => new(TaskFolder, Folder, rid)
    {
        CancellationGracePeriod = TimeSpan.FromSeconds(2),
    };

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private static string FindTaskFolder([CallerFilePath] string here = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(here)!); directory is not null;
             directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "task", "ConfigureWorkloadIdentityV1");
            if (File.Exists(Path.Combine(candidate, "task.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No task/ConfigureWorkloadIdentityV1 above {here}.");
    }
}
