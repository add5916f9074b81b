namespace ConfigureWorkloadIdentity.Tests;

public sealed class RequestTimeoutTests
{
    [Theory]
    [InlineData(null, 30)]
    [InlineData("", 30)]
    [InlineData("2", 2)]
    [InlineData("300", 300)]
    [InlineData("0", 30)]
    [InlineData("301", 30)]
    [InlineData("-5", 30)]
    [InlineData("2.5", 30)]
    [InlineData("10s", 30)]
    public void Parse_Value_SecondsFrom1To300ElseTheDefault(string? value, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RequestTimeout.Parse(value));
}
