using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Tests.Pipelines;

public sealed class JobSummaryTests
{
    [Fact]
    public void Render_WhatIf_SaysNothingWasChangedAndListsPlannedChanges()
    {
        var markdown = JobSummary.Render(Step(Result(whatIf: true, actions: ["Namespace ns: would be created"])));

        Assert.Contains("(what-if: nothing was changed)", markdown, StringComparison.Ordinal);
        Assert.Contains("**Planned changes**", markdown, StringComparison.Ordinal);
        Assert.Contains("- Namespace ns: would be created", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WarningWithPipeAndNewline_StaysOneListItem()
    {
        var markdown = JobSummary.Render(Step(Result(warnings: ["a | b\nc"])));

        Assert.Contains("- a \\| b c", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SeveralBindingsWithAFailure_ListsEachWithItsResultAndTheError()
    {
        var done = Result();
        var failed = Result(serviceAccount: "sa2") with { Error = "The cluster refused it.", Changes = 0 };

        var markdown = JobSummary.Render(Step(done, failed));

        Assert.Contains("## Workload identity: 2 bindings, 1 failed", markdown, StringComparison.Ordinal);
        Assert.Contains("| `ns/sa` | `id1` | `client` | 1 changed |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `ns/sa2` | `id1` | `client` | **failed** |", markdown, StringComparison.Ordinal);
        Assert.Contains("**Failed**: The cluster refused it.", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OneBinding_HasNoOverviewTable()
    {
        var markdown = JobSummary.Render(Step(Result()));

        Assert.DoesNotContain("| ServiceAccount | Identity |", markdown, StringComparison.Ordinal);
        Assert.StartsWith("### Workload identity ns/sa", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderFailure_NamesTheBindingsAndWhy()
    {
        var request = new RunRequest([Result().Request], null);

        var markdown = JobSummary.RenderFailure(request, "AKS cluster 'aks' was not found | really.");

        Assert.StartsWith("### Workload identity: failed", markdown, StringComparison.Ordinal);
        Assert.Contains("AKS cluster 'aks' was not found \\| really.", markdown, StringComparison.Ordinal);
        Assert.Contains("| `ns/sa` | `id1 (resource group rg)` |", markdown, StringComparison.Ordinal);
    }

    private static StepResult Step(params BindingResult[] bindings) =>
        new(StepAction.Apply, bindings[0].WhatIf, "https://issuer.example/", bindings, []);

    private static BindingResult Result(
        bool whatIf = false,
        IReadOnlyList<string>? actions = null,
        IReadOnlyList<string>? warnings = null,
        string serviceAccount = "sa") =>
        new(
            new BindingRequest(new IdentityReference("sub", "rg", "id1"), null, "https://issuer.example/", "ns",
                serviceAccount, null, true),
            new ObservedIdentity("client", "principal", "tenant", "eastus"),
            "https://issuer.example/",
            "id1-ns-sa",
            1,
            whatIf,
            actions ?? [],
            warnings ?? []);
}
