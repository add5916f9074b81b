using System.Globalization;
using System.Text;

namespace ConfigureWorkloadIdentity.Benchmark;

/// <summary>The Markdown report: a summary table of goals, then sections of detail (tables of requests).</summary>
internal sealed class BenchmarkReport
{
    private readonly List<ReportRow> _rows = [];
    private readonly List<(string Title, string Body)> _sections = [];

    /// <summary>The rows so far.</summary>
    public IReadOnlyList<ReportRow> Rows => _rows;

    /// <summary>Adds a summary row.</summary>
    public void Add(ReportRow row) => _rows.Add(row);

    /// <summary>Adds a detail section (Markdown body).</summary>
    public void AddSection(string title, string body) => _sections.Add((title, body));

    /// <summary>The whole report.</summary>
    public string ToMarkdown(string machine, DateTimeOffset when)
    {
        var text = new StringBuilder();
        text.Append("# Configure Workload Identity: benchmark\n\n");
        text.Append(CultureInfo.InvariantCulture, $"{when:yyyy-MM-dd HH:mm} UTC on {machine}. ");
        text.Append("Goals from issue 7; every number is measured by `build.ps1 benchmark` ");
        text.Append("(tests/Benchmark) against the loopback emulators.\n\n");
        text.Append("| Measure | Result | Goal | Met |\n| --- | --- | --- | --- |\n");
        foreach (var row in _rows)
        {
            var met = row.Met switch { true => "yes", false => "**no**", null => "" };
            text.Append(CultureInfo.InvariantCulture,
                $"| {Cell(row.Measure)} | {Cell(row.Result)} | {Cell(row.Goal)} | {met} |\n");
        }

        foreach (var (title, body) in _sections)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n## {title}\n\n{body.TrimEnd()}\n");
        }

        return text.ToString();
    }

    /// <summary>A value fit for a table cell: no pipes, no line breaks.</summary>
    public static string Cell(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    /// <summary>Milliseconds with one decimal.</summary>
    public static string Ms(double milliseconds) =>
        milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>The median of a non-empty sample (the lower middle of an even count).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[(sorted.Count - 1) / 2];
    }
}
