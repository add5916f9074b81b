using System.Text;
using System.Text.Json;
using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// The output variables: <c>bindings</c> (JSON, every binding), the issuer, and for a step with one binding (or
/// one identity) the single values a later step or a Helm chart takes.
/// </summary>
internal static class StepOutputs
{
    /// <summary>Sets every output the result has values for.</summary>
    public static void Set(IReporter reporter, StepResult result)
    {
        reporter.SetOutput("issuerUrl", result.Issuer);
        var identities = result.Bindings.Where(b => b.Identity is not null)
            .Select(b => b.Identity!).DistinctBy(i => i.ClientId).ToList();
        if (identities.Count == 1 && result.Bindings.All(b => b.Identity is not null))
        {
            reporter.SetOutput("clientId", identities[0].ClientId);
            reporter.SetOutput("principalId", identities[0].PrincipalId);
            reporter.SetOutput("tenantId", identities[0].TenantId);
        }

        if (result.Bindings is [{ Succeeded: true } only])
        {
            if (only.CredentialName.Length > 0)
            {
                reporter.SetOutput("federatedCredentialName", only.CredentialName);
            }

            reporter.SetOutput("serviceAccount", only.ServiceAccount);
        }

        if (result.ManifestPath is { } path)
        {
            reporter.SetOutput("manifestPath", path);
        }

        reporter.SetOutput("bindings", Json(result));
    }

    /// <summary>Every binding as a JSON array on one line (output variables are single lines).</summary>
    public static string Json(StepResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var binding in result.Bindings)
            {
                var request = binding.Request;
                json.WriteStartObject();
                json.WriteString("namespace", request.Namespace);
                json.WriteString("serviceAccountName", request.ServiceAccountName);
                json.WriteString("identityResourceId", request.Identity.ResourceId);
                json.WriteString("clientId", binding.Identity?.ClientId);
                json.WriteString("principalId", binding.Identity?.PrincipalId);
                json.WriteString("tenantId", binding.Identity?.TenantId);
                json.WriteString("federatedCredentialName", binding.CredentialName.Length > 0
                    ? binding.CredentialName : null);
                json.WriteString("issuer", result.Issuer);
                json.WriteString("subject", request.Subject);
                json.WriteString("status", binding.Succeeded ? binding.Changes == 0 ? "unchanged"
                    : binding.WhatIf ? "planned" : "changed" : "failed");
                json.WriteNumber("changes", binding.Changes);
                if (binding.Error is { } error)
                {
                    json.WriteString("error", error);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
