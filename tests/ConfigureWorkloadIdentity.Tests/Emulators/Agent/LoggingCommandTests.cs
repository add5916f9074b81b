using ConfigureWorkloadIdentity.Emulators.Agent;
using Xunit;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Agent;

public sealed class LoggingCommandTests
{
    [Theory]
    [InlineData("##vso[task.complete result=Failed;]boom", "task", "complete", "result=Failed", "boom")]
    [InlineData("##vso[task.setvariable variable=a;isOutput=true;]v", "task", "setvariable",
        "variable=a|isoutput=true", "v")]
    [InlineData("prefix text ##vso[task.debug]mid-line", "task", "debug", "", "mid-line")]
    [InlineData("##vso[task.logissue type=error]a]b", "task", "logissue", "type=error", "a]b")]
    [InlineData("##vso[task.setvariable variable=x;=orphan;empty=;;]v", "task", "setvariable", "variable=x", "v")]
    [InlineData("##vso[task.setvariable variable=a=b]v", "task", "setvariable", "variable=a=b", "v")]
    [InlineData("##vso[artifact.upload]", "artifact", "upload", "", "")]
    [InlineData("##vso[task..complete result=Succeeded]", "task", "complete", "result=Succeeded", "")]
    public void TryParse_ValidLine_ReadsAreaEventPropertiesAndData(
        string line,
        string area,
        string eventName,
        string properties,
        string data)
    {
        Assert.True(LoggingCommand.TryParse(line, out var command));
        Assert.Equal(area, command.Area);
        Assert.Equal(eventName, command.Event);
        Assert.Equal(data, command.Data);
        string actual = string.Join('|', command.Properties.Select(p => $"{p.Key.ToLowerInvariant()}={p.Value}"));
        Assert.Equal(properties, actual);
    }

    [Theory]
    [InlineData("%3B", ";")]
    [InlineData("%0D%0A", "\r\n")]
    [InlineData("%5D", "]")]
    [InlineData("%AZP25", "%")]
    [InlineData("%25", "%25")]
    [InlineData("%AZP253B", "%3B")]
    [InlineData("%3b", "%3b")]
    [InlineData("100%", "100%")]
    public void TryParse_EscapedText_UnescapesPropertyAndMessageByAgentRules(string escaped, string expected)
    {
        Assert.True(LoggingCommand.TryParse($"##vso[task.setvariable variable={escaped}]{escaped}", out var command));
        Assert.Equal(expected, command.Properties["variable"]);
        Assert.Equal(expected, command.Data);
    }

    [Fact]
    public void TryParse_MixedCaseKey_FindsPropertyCaseInsensitively()
    {
        Assert.True(LoggingCommand.TryParse("##vso[task.setvariable VARIABLE=x;IsSecret=true]v", out var command));
        Assert.Equal("x", command.Properties["variable"]);
        Assert.True(command.IsTrue("issecret"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain output")]
    [InlineData("##vso[task.complete result=Failed")]
    [InlineData("##vso[task]message")]
    [InlineData("##vso[task.complete.now]message")]
    [InlineData("##vso[ task.complete]message")]
    [InlineData("##VSO[task.complete result=Failed]upper-case prefix")]
    [InlineData("##[error]a formatting line is no command")]
    [InlineData("##[group]Section")]
    public void TryParse_MalformedOrPlainLine_IsNoCommand(string line)
    {
        Assert.False(LoggingCommand.TryParse(line, out var command));
        Assert.Null(command);
    }
}
