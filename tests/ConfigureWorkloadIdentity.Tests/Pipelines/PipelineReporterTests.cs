using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Tests.Pipelines;

public sealed class PipelineReporterTests
{
    [Fact]
    public void Info_RemoteTextWithCommandAndNewline_CannotStartACommand()
    {
        var output = new StringWriter();
        var reporter = new PipelineReporter(output, debugEnabled: false);

        reporter.Info("error body:\n##vso[task.complete result=Succeeded;]fake\n##[error]fake");

        var lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.DoesNotContain(lines, l => l.Contains("##vso[", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("##[", StringComparison.Ordinal));
    }

    [Fact]
    public void RegisterSecret_SameValueTwice_RegisteredOnce()
    {
        var output = new StringWriter();
        var reporter = new PipelineReporter(output, debugEnabled: false);

        reporter.RegisterSecret("s3cret");
        reporter.RegisterSecret("s3cret");

        Assert.Equal("##vso[task.setsecret]s3cret" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Error_MultilineMessage_OneCommandLine()
    {
        var output = new StringWriter();
        new PipelineReporter(output, debugEnabled: false).Error("first\nsecond");

        Assert.Equal("##vso[task.logissue type=error;]first%0Asecond" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Debug_WhenDisabled_PrintsNothing()
    {
        var output = new StringWriter();
        new PipelineReporter(output, debugEnabled: false).Debug("detail");

        Assert.Empty(output.ToString());
    }

    [Fact]
    public void Complete_Outcome_UsesTheAgentsSpelling()
    {
        var output = new StringWriter();
        new PipelineReporter(output, debugEnabled: false).Complete(RunOutcome.Canceled, "stopped");

        Assert.Equal("##vso[task.complete result=Canceled;]stopped" + Environment.NewLine, output.ToString());
    }
}
