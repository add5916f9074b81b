namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// Holds one part of a run's log while parts run in parallel, so that each part's lines stay together: they are
/// written to the real reporter when the part is done. Secrets are registered at once, before any line can
/// carry them.
/// </summary>
internal sealed class BufferedReporter(IReporter inner) : IReporter
{
    private readonly List<Action<IReporter>> lines = [];

    public void BeginGroup(string title) => Add(r => r.BeginGroup(title));

    public void EndGroup() => Add(r => r.EndGroup());

    public void Info(string message) => Add(r => r.Info(message));

    public void Debug(string message) => Add(r => r.Debug(message));

    public void Warning(string message) => Add(r => r.Warning(message));

    public void Error(string message) => Add(r => r.Error(message));

    public void RegisterSecret(string value) => inner.RegisterSecret(value);

    public void SetOutput(string name, string value) => Add(r => r.SetOutput(name, value));

    public void UploadSummary(string markdown) => Add(r => r.UploadSummary(markdown));

    public void Complete(RunOutcome outcome, string message) => Add(r => r.Complete(outcome, message));

    /// <summary>Writes everything held so far to the real reporter, in order.</summary>
    public void Flush()
    {
        lock (lines)
        {
            foreach (var line in lines)
            {
                line(inner);
            }

            lines.Clear();
        }
    }

    private void Add(Action<IReporter> line)
    {
        lock (lines)
        {
            lines.Add(line);
        }
    }
}
