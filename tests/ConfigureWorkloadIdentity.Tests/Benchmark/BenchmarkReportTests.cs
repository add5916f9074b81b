using ConfigureWorkloadIdentity.Benchmark;

namespace ConfigureWorkloadIdentity.Tests.Benchmark;

public sealed class BenchmarkReportTests
{
    [Fact]
    public void ToMarkdown_Rows_GoalAndVerdictPerRowThenSections()
    {
        var report = new BenchmarkReport();
        report.Add(new ReportRow("Cold start", "42.0 ms", "at most 100 ms", true));
        report.Add(new ReportRow("Memory", "120 MB", "at most 100 MB", false));
        report.Add(ReportRow.NotMeasured("50 bindings", "under 5 s", "Input 'a|b' is required."));
        report.AddSection("Requests", "| a | b |");

        var markdown = report.ToMarkdown("test machine", DateTimeOffset.UnixEpoch);

        Assert.Contains("| Cold start | 42.0 ms | at most 100 ms | yes |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Memory | 120 MB | at most 100 MB | **no** |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 50 bindings | not measured: Input 'a\\|b' is required. | under 5 s |  |", markdown,
            StringComparison.Ordinal);
        Assert.Contains("\n## Requests\n\n| a | b |\n", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/6ee1d96e-4c90-42a8-be8a-f94078515d91/oauth2/v2.0/token", "POST /{tenant}/oauth2/v2.0/token")]
    [InlineData("GET", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c",
        "GET /subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerService/managedClusters/{}")]
    [InlineData("PATCH", "/api/v1/namespaces/ns/serviceaccounts/sa", "PATCH /api/v1/namespaces/{}/serviceaccounts/{}")]
    public void Endpoint_Path_NamesAndIdsReplaced(string method, string path, string expected) =>
        Assert.Equal(expected, RequestTally.Endpoint(method, path));

    [Fact]
    public void Median_OddAndEven_MiddleAndLowerMiddle()
    {
        Assert.Equal(2, BenchmarkReport.Median([3, 1, 2]));
        Assert.Equal(2, BenchmarkReport.Median([4, 1, 2, 3]));
    }
}
