namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>A file the task attached (summary, attachment or uploaded file), read when the command arrived.</summary>
/// <param name="Type">The attachment type, e.g. <see cref="SummaryType"/>.</param>
/// <param name="Name">The attachment name (a summary's file name).</param>
/// <param name="Path">The path the task gave.</param>
/// <param name="Content">The file's text at the time of the command.</param>
public sealed record TaskAttachment(string Type, string Name, string Path, string Content)
{
    /// <summary>The agent's type for <c>task.uploadsummary</c>.</summary>
    public const string SummaryType = "DistributedTask.Core.Summary";

    /// <summary>The agent's type for <c>task.uploadfile</c>.</summary>
    public const string LogType = "DistributedTask.Core.Log";
}
