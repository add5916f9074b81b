namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>A fresh agent folder tree under one temp root, laid out as the agent lays out a job.</summary>
internal sealed record AgentLayout(string Root, string TaskDirectory)
{
    public string AgentHomeDirectory => Path.Combine(Root, "agent");

    public string HomeDirectory => Path.Combine(Root, "home");

    public string WorkFolder => Path.Combine(Root, "_work");

    public string TasksFolder => Path.Combine(WorkFolder, "_tasks");

    public string TempDirectory => Path.Combine(WorkFolder, "_temp");

    public string BuildDirectory => Path.Combine(WorkFolder, "1");

    public string SourcesDirectory => Path.Combine(BuildDirectory, "s");

    public string StagingDirectory => Path.Combine(BuildDirectory, "a");

    public string BinariesDirectory => Path.Combine(BuildDirectory, "b");

    /// <summary>Creates the tree; the task goes to <c>_work/_tasks/&lt;name&gt;_&lt;id&gt;/&lt;version&gt;</c>.
    /// </summary>
    public static AgentLayout Create(TaskDefinition task)
    {
        string root = Directory.CreateTempSubdirectory("cwi-agent-").FullName;
        var layout = new AgentLayout(
            root,
            Path.Combine(root, "_work", "_tasks", $"{task.Name}_{task.Id:D}", task.Version));
        foreach (string directory in new[]
                 {
                     layout.AgentHomeDirectory, layout.HomeDirectory, layout.TempDirectory, layout.SourcesDirectory,
                     layout.StagingDirectory, layout.BinariesDirectory, layout.TaskDirectory,
                 })
        {
            Directory.CreateDirectory(directory);
        }

        return layout;
    }
}
