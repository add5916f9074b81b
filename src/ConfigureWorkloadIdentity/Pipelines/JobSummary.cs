using System.Text;
using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>The Markdown summary attached to the pipeline run: per binding, what it is and what changed.</summary>
internal static class JobSummary
{
    /// <summary>Renders the summary of a step: an overview when it has several bindings, then each binding.</summary>
    public static string Render(StepResult step)
    {
        var text = new StringBuilder();
        if (step.Bindings.Count > 1)
        {
            var failed = step.Failed.Count;
            text.AppendLine($"## Workload identity: {step.Bindings.Count} bindings"
                + (step.WhatIf ? " (what-if: nothing was changed)" : "")
                + (failed > 0 ? $", {failed} failed" : ""));
            text.AppendLine();
            text.AppendLine("| ServiceAccount | Identity | Client id | Result |");
            text.AppendLine("|---|---|---|---|");
            foreach (var b in step.Bindings)
            {
                text.AppendLine($"| `{Escape(b.ServiceAccount)}` | `{Escape(b.Request.Identity.Name)}` | "
                    + $"`{Escape(b.Identity?.ClientId ?? "-")}` | {Status(b)} |");
            }

            text.AppendLine();
        }

        if (step.Warnings.Count > 0)
        {
            text.AppendLine("**Cluster warnings**");
            text.AppendLine();
            foreach (var warning in step.Warnings)
            {
                text.AppendLine($"- {Escape(warning)}");
            }

            text.AppendLine();
        }

        foreach (var binding in step.Bindings)
        {
            Render(text, binding);
        }

        if (step.ManifestPath is { } path && !step.WhatIf)
        {
            text.AppendLine($"The ServiceAccounts were written to `{Escape(path)}` for Helm or GitOps to apply.");
        }

        return text.ToString();
    }

    /// <summary>The summary of a step that stopped before it had a result per binding.</summary>
    public static string RenderFailure(RunRequest request, string message)
    {
        var text = new StringBuilder();
        text.AppendLine($"### Workload identity: failed{(request.WhatIf ? " (what-if)" : "")}");
        text.AppendLine();
        text.AppendLine(Escape(message));
        text.AppendLine();
        text.AppendLine("| ServiceAccount | Identity |");
        text.AppendLine("|---|---|");
        foreach (var binding in request.Bindings)
        {
            text.AppendLine($"| `{Escape(binding.ServiceAccount)}` | `{Escape(binding.Identity.ToString())}` |");
        }

        return text.ToString();
    }

    private static string Status(BindingResult b) =>
        !b.Succeeded ? "**failed**" : b.Changes == 0 ? "unchanged"
        : b.WhatIf ? $"{b.Changes} planned" : $"{b.Changes} changed";

    private static void Render(StringBuilder text, BindingResult result)
    {
        var request = result.Request;
        text.AppendLine(result.WhatIf
            ? $"### Workload identity {result.ServiceAccount} (what-if: nothing was changed)"
            : $"### Workload identity {result.ServiceAccount}");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        Row(text, "Managed identity", $"{request.Identity.Name} (resource group {request.Identity.ResourceGroup})");
        Row(text, "Client id", result.Identity?.ClientId ?? "-");
        Row(text, "Principal id", result.Identity?.PrincipalId ?? "-");
        Row(text, "Federated credential", result.CredentialName);
        Row(text, "Issuer", result.Issuer);
        Row(text, "Subject", request.Subject);
        Row(text, "Audience", BindingRequest.Audience);
        Row(text, "ServiceAccount", result.ServiceAccount);
        if (result.Error is { } error)
        {
            text.AppendLine();
            text.AppendLine($"**Failed**: {Escape(error)}");
        }

        text.AppendLine();
        text.AppendLine(result.WhatIf ? "**Planned changes**" : "**Changes**");
        text.AppendLine();
        foreach (var action in result.Actions)
        {
            text.AppendLine($"- {Escape(action)}");
        }

        if (result.Warnings.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("**Warnings**");
            text.AppendLine();
            foreach (var warning in result.Warnings)
            {
                text.AppendLine($"- {Escape(warning)}");
            }
        }

        text.AppendLine();
        text.AppendLine($"Pods get the identity when they run as `{request.ServiceAccountName}` and their pod "
            + $"template carries the label `{WorkloadIdentityKeys.UseLabel}: \"true\"`.");
        text.AppendLine();
    }

    private static void Row(StringBuilder text, string name, string value) =>
        text.AppendLine($"| {name} | `{Escape(value)}` |");

    // Table cells end at '|'; backticks would end the code span; neither occurs in valid names, but values
    // from elsewhere (warnings quoting ARM) may carry them.
    private static string Escape(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)
            .ReplaceLineEndings(" ");
}
