using System.Text;
using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>The Markdown summary attached to the pipeline run: per binding, what it is and what changed.</summary>
internal static class JobSummary
{
    /// <summary>Renders the summary of one binding.</summary>
    public static string Render(BindingResult result)
    {
        var request = result.Request;
        var text = new StringBuilder();
        text.AppendLine(result.WhatIf
            ? $"### Workload identity {result.ServiceAccount} (what-if: nothing was changed)"
            : $"### Workload identity {result.ServiceAccount}");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        Row(text, "Managed identity", $"{request.Identity.Name} (resource group {request.Identity.ResourceGroup})");
        Row(text, "Client id", result.Identity.ClientId);
        Row(text, "Principal id", result.Identity.PrincipalId);
        Row(text, "Federated credential", result.CredentialName);
        Row(text, "Issuer", result.Issuer);
        Row(text, "Subject", request.Subject);
        Row(text, "Audience", BindingRequest.Audience);
        Row(text, "ServiceAccount", result.ServiceAccount);
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
        return text.ToString();
    }

    private static void Row(StringBuilder text, string name, string value) =>
        text.AppendLine($"| {name} | `{Escape(value)}` |");

    // Table cells end at '|'; backticks would end the code span; neither occurs in valid names, but values
    // from elsewhere (warnings quoting ARM) may carry them.
    private static string Escape(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)
            .ReplaceLineEndings(" ");
}
