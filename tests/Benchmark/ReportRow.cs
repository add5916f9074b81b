namespace ConfigureWorkloadIdentity.Benchmark;

/// <summary>One line of the report: what was measured, the result, the goal and whether it is met.</summary>
/// <param name="Measure">What was measured, e.g. "Cold start".</param>
/// <param name="Result">The measured value in words, or "not measured: why".</param>
/// <param name="Goal">The goal from issue 7, or "" when the row has none.</param>
/// <param name="Met">True or false against the goal; null when there is no goal or nothing was measured.</param>
internal sealed record ReportRow(string Measure, string Result, string Goal, bool? Met)
{
    /// <summary>A row for something that could not be measured, saying why.</summary>
    public static ReportRow NotMeasured(string measure, string goal, string why) =>
        new(measure, "not measured: " + why, goal, null);
}
