using ConfigureWorkloadIdentity.Emulators.Agent;
using Xunit;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Agent;

public sealed class TaskLogProcessorTests
{
    [Theory]
    [InlineData("##vso[task.complete result=Succeeded;]ok", TaskResult.Succeeded)]
    [InlineData("##vso[task.complete result=SucceededWithIssues;]meh", TaskResult.SucceededWithIssues)]
    [InlineData("##vso[task.complete result=Failed;]no", TaskResult.Failed)]
    [InlineData("##vso[task.complete result=Canceled;]stop", TaskResult.Canceled)]
    [InlineData("##vso[task.complete result=2;]numeric", TaskResult.Failed)]
    public void ProcessLine_ValidComplete_SetsResult(string line, TaskResult expected)
    {
        var log = Process(line);
        Assert.Equal(expected, log.CommandResult);
        Assert.Empty(log.CommandFailures);
    }

    [Theory]
    [InlineData("##vso[task.complete result=Cancelled;]task-lib spelling")]
    [InlineData("##vso[task.complete result=failed;]wrong case")]
    [InlineData("##vso[task.complete]no result")]
    [InlineData("##vso[task.complete result=Done;]unknown")]
    [InlineData("##vso[task.complete result=42;]undefined number")]
    public void ProcessLine_InvalidCompleteResult_FailsCommand(string line)
    {
        var log = Process(line);
        Assert.Single(log.CommandFailures);
        Assert.Equal(TaskResult.Failed, log.CommandResult);
    }

    [Theory]
    [InlineData("##vso[task.logisue type=error]typo")]
    [InlineData("##vso[task.logissue type=fatal]bad type")]
    [InlineData("##vso[task.setvariable]no name")]
    [InlineData("##vso[task.setvariable variable=s;issecret=true]line1%0Aline2")]
    [InlineData("##vso[task.uploadsummary]/no/such/summary.md")]
    [InlineData("##vso[task.uploadsummary]relative.md")]
    [InlineData("##vso[task.addattachment name=a]/etc/hostname")]
    [InlineData("##vso[task.prependpath]")]
    [InlineData("##vso[task.logdetail id=not-a-guid]x")]
    [InlineData("##vso[task.setendpoint id=6f7e1a52-3c1d-4b8e-9f0a-2d4c6b8e0f13;field=bogus]x")]
    public void ProcessLine_RejectedTaskCommand_FailsStep(string line)
    {
        var log = Process(line);
        var failure = Assert.Single(log.CommandFailures);
        Assert.Equal(line, failure.Line);
        Assert.Equal(TaskResult.Failed, log.CommandResult);
        Assert.Contains(log.Issues, i => i.Type == TaskIssueType.Error && i.RaisedByAgent);
    }

    [Theory]
    [InlineData("##vso[foo.bar]unknown area")]
    [InlineData("##vso[task.complete result=Failed no closing bracket")]
    [InlineData("text with ##vso but no command")]
    public void ProcessLine_UnknownAreaOrBrokenCommand_OnlyWarns(string line)
    {
        var log = Process(line);
        Assert.Empty(log.CommandFailures);
        Assert.Null(log.CommandResult);
        var warning = Assert.Single(log.Issues);
        Assert.Equal(TaskIssueType.Warning, warning.Type);
        Assert.True(warning.RaisedByAgent);
    }

    [Theory]
    [InlineData("##[group]Phase 1")]
    [InlineData("##[endgroup]")]
    [InlineData("##[section]Starting")]
    [InlineData("##[warning]looks like a warning")]
    [InlineData("##[error]looks like an error")]
    [InlineData("##[debug]details")]
    [InlineData("##[command]kubectl apply")]
    public void ProcessLine_FormattingLine_ChangesNothing(string line)
    {
        var log = Process(line);
        Assert.Empty(log.Issues);
        Assert.Empty(log.Commands);
        Assert.Null(log.CommandResult);
        Assert.Equal([line], log.MaskedLog);
    }

    [Fact]
    public void ProcessLine_ErrorIssueAlone_DoesNotFail()
    {
        var log = Process("##vso[task.logissue type=Error]it broke", "##vso[task.logissue]no type");
        Assert.Null(log.CommandResult);
        Assert.Equal(new TaskIssue(TaskIssueType.Error, "it broke"), log.Issues[0]);
        Assert.Equal(TaskIssueType.Warning, log.Issues[1].Type);
        Assert.Equal("##[error]it broke", log.MaskedLog[0]);
    }

    [Fact]
    public void ProcessLine_SeveralResults_WorstWins()
    {
        var log = Process(
            "##vso[task.complete result=SucceededWithIssues;]",
            "##vso[task.complete result=Failed;]",
            "##vso[task.complete result=Succeeded;]");
        Assert.Equal(TaskResult.Failed, log.CommandResult);

        var canceled = Process("##vso[task.complete result=Canceled;]", "##vso[task.complete result=Failed;]");
        Assert.Equal(TaskResult.Canceled, canceled.CommandResult);
    }

    [Fact]
    public void ProcessLine_SetVariable_RecordsFlagsAndTaskJsonOutputs()
    {
        var log = new TaskLogProcessor(outputVariableNames: ["clientId"]);
        log.ProcessLine("##vso[task.setvariable variable=clientId;]abc");
        log.ProcessLine("##vso[task.setvariable variable=other;isoutput=true;isreadonly=true]1");
        log.ProcessLine("##vso[task.setvariable variable=plain]2");
        log.ProcessLine("##vso[task.setvariable variable=other;isoutput=true]changed");

        Assert.Equal(
            [
                new TaskVariable("clientId", "abc", false, true, false),
                new TaskVariable("other", "1", false, true, true),
                new TaskVariable("plain", "2", false, false, false),
            ],
            log.Variables);
        Assert.Contains(log.Issues, i => i.Type == TaskIssueType.Warning && i.Message.Contains("read-only"));
    }

    [Fact]
    public void ProcessLine_Secrets_MaskedFromRegistrationOnward()
    {
        var log = new TaskLogProcessor(secrets: ["job-secret"]);
        log.ProcessLine("early s3cr3t and job-secret");
        log.ProcessLine("##vso[task.setsecret]s3cr3t");
        log.ProcessLine("late s3cr3t");
        log.ProcessLine("##vso[task.setvariable variable=token;issecret=true]t0k3n");
        log.ProcessLine("json \"t0k3n\" and uri t0k3n");
        log.ProcessLine("##vso[task.logissue type=warning]leaks s3cr3t?");

        Assert.Equal(
            ["early s3cr3t and ***", "late ***", "json \"***\" and uri ***", "##[warning]leaks ***?"],
            log.MaskedLog);
        Assert.Equal(["s3cr3t", "t0k3n"], log.RegisteredSecrets);
        Assert.True(log.Variables.Single().IsSecret);
    }

    [Fact]
    public void ProcessLine_UploadSummary_CopiesContent()
    {
        string path = Path.Combine(Path.GetTempPath(), $"summary-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, "# Done");
        try
        {
            var log = Process($"##vso[task.uploadsummary]{path}");
            File.Delete(path);
            var summary = Assert.Single(log.Attachments);
            Assert.Equal(TaskAttachment.SummaryType, summary.Type);
            Assert.Equal("# Done", summary.Content);
            Assert.Equal(Path.GetFileName(path), summary.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ProcessLine_DebugWithSystemDebug_LogsDebugAndProcessedLines()
    {
        var quiet = Process("##vso[task.debug]hidden", "##vso[task.setprogress value=150]almost");
        Assert.Empty(quiet.MaskedLog);
        Assert.Equal(100, quiet.Progress);

        var verbose = new TaskLogProcessor(systemDebug: true);
        verbose.ProcessLine("##vso[task.debug]shown");
        verbose.ProcessLine("##vso[task.prependpath]/opt/tool");
        Assert.Equal(["##[debug]shown", "##[debug]Processed: ##vso[task.prependpath]/opt/tool"], verbose.MaskedLog);
        Assert.Equal(["/opt/tool"], verbose.PrependedPaths);
    }

    private static TaskLogProcessor Process(params string[] lines)
    {
        var log = new TaskLogProcessor();
        foreach (string line in lines)
        {
            log.ProcessLine(line);
        }

        return log;
    }
}
