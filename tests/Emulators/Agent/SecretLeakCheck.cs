namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// The check every run through <see cref="AgentHarness"/> gets: no guarded secret in stdout or stderr (except as the
/// value of the <c>task.setsecret</c> command that tells the agent to mask it), in a job summary, or in any file the
/// run left in the agent's work folder (its temp folder among them) or HOME.
/// </summary>
internal static class SecretLeakCheck
{
    /// <summary>Every place a secret appears; empty when none does.</summary>
    public static IReadOnlyList<string> FindLeaks(TaskRun run, IEnumerable<string> secrets)
    {
        var guarded = secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (guarded.Count == 0)
        {
            return [];
        }

        var places = new List<string>();
        for (int i = 0; i < run.Lines.Count; i++)
        {
            var line = run.Lines[i];
            if (guarded.Any(s => line.Contains(s, StringComparison.Ordinal) && line != "##vso[task.setsecret]" + s))
            {
                places.Add($"output line {i + 1}: {Redact(line, guarded)}");
            }
        }

        if (guarded.Any(s => run.Stderr.Contains(s, StringComparison.Ordinal)))
        {
            places.Add("stderr");
        }

        foreach (var summary in run.Summaries)
        {
            if (guarded.Any(s => summary.Content.Contains(s, StringComparison.Ordinal)))
            {
                places.Add($"job summary {summary.Name}");
            }
        }

        foreach (var file in run.ListFilesLeftBehind())
        {
            var text = ReadText(file);
            if (guarded.Any(s => text.Contains(s, StringComparison.Ordinal)))
            {
                places.Add($"file left behind {file}");
            }
        }

        return places;
    }

    // The message must not become the leak: each secret is shown as its length only.
    private static string Redact(string line, IEnumerable<string> secrets) =>
        secrets.OrderByDescending(s => s.Length).Aggregate(line,
            (text, secret) => text.Replace(secret, $"<secret of {secret.Length} chars>", StringComparison.Ordinal));

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
