using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Tests.Pipelines;

public sealed class LoggingCommandTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("50%", "50%AZP25")]
    [InlineData("a;b", "a%3Bb")]
    [InlineData("a]b", "a%5Db")]
    [InlineData("line1\r\nline2", "line1%0D%0Aline2")]
    [InlineData("%3B", "%AZP253B")]
    public void EscapeProperty_Value_EscapedByAgentRules(string value, string expected) =>
        Assert.Equal(expected, LoggingCommand.EscapeProperty(value));

    [Theory]
    [InlineData("a]b;c", "a]b;c")]
    [InlineData("100%", "100%AZP25")]
    [InlineData("x\ny", "x%0Ay")]
    public void EscapeMessage_Value_EscapesPercentAndLineBreaksOnly(string value, string expected) =>
        Assert.Equal(expected, LoggingCommand.EscapeMessage(value));

    [Fact]
    public void Format_PropertiesAndMessage_TerminatesProperties() =>
        Assert.Equal(
            "##vso[task.setvariable variable=clientId;]abc",
            LoggingCommand.Format("task.setvariable", [new("variable", "clientId")], "abc"));

    [Fact]
    public void Format_NoProperties_NoSpace() =>
        Assert.Equal("##vso[task.setsecret]s3cr%AZP25t", LoggingCommand.Format("task.setsecret", [], "s3cr%t"));

    [Theory]
    [InlineData("body ##vso[task.complete result=Succeeded;]done", "body ##vso [task.complete result=Succeeded;]done")]
    [InlineData("##VSO[task.setvariable variable=x]1", "##vso [task.setvariable variable=x]1")]
    public void Neutralize_CommandPrefixInText_Broken(string text, string expected) =>
        Assert.Equal(expected, LoggingCommand.Neutralize(text));

    [Fact]
    public void OneLine_LineBreaks_Folded() =>
        Assert.Equal("a b c", LoggingCommand.OneLine("a\nb\r\nc"));
}
