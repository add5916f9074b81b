using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Tests.Pipelines;

public sealed class JobSummaryTests
{
    [Fact]
    public void Render_WhatIf_SaysNothingWasChangedAndListsPlannedChanges()
    {
        var markdown = JobSummary.Render(Result(whatIf: true, actions: ["Namespace ns: would be created"]));

        Assert.Contains("(what-if: nothing was changed)", markdown, StringComparison.Ordinal);
        Assert.Contains("**Planned changes**", markdown, StringComparison.Ordinal);
        Assert.Contains("- Namespace ns: would be created", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WarningWithPipeAndNewline_StaysOneListItem()
    {
        var markdown = JobSummary.Render(Result(warnings: ["a | b\nc"]));

        Assert.Contains("- a \\| b c", markdown, StringComparison.Ordinal);
    }

    private static BindingResult Result(
        bool whatIf = false,
        IReadOnlyList<string>? actions = null,
        IReadOnlyList<string>? warnings = null) =>
        new(
            new BindingRequest(new IdentityReference("sub", "rg", "id1"), null, "https://issuer.example/", "ns", "sa",
                null, true),
            new ObservedIdentity("client", "principal", "tenant", "eastus"),
            "https://issuer.example/",
            "id1-ns-sa",
            1,
            whatIf,
            actions ?? [],
            warnings ?? []);
}
