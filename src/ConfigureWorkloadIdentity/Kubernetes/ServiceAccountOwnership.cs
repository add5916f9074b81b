using System.Text.Json;
using k8s.Models;

namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// Reads a ServiceAccount's managedFields: which fields each field manager owns, named "annotation KEY",
/// "label KEY" or "field NAME". The metadata the apiserver sets itself (name, namespace, uid, resourceVersion,
/// creationTimestamp, generation) and the "." markers of maps own nothing.
/// </summary>
internal static class ServiceAccountOwnership
{
    private static readonly HashSet<string> ServerSetMetadata =
        ["f:name", "f:namespace", "f:uid", "f:resourceVersion", "f:creationTimestamp", "f:generation", "f:selfLink"];

    /// <summary>The fields <paramref name="manager"/> owns, over all its entries (Apply and Update).</summary>
    public static HashSet<string> OwnedBy(V1ServiceAccount account, string manager) =>
        [.. (account.Metadata?.ManagedFields ?? [])
            .Where(e => e.Manager == manager)
            .SelectMany(e => Fields(e.FieldsV1))];

    /// <summary>Every other manager that owns something, with what it owns.</summary>
    public static IReadOnlyList<(string Manager, IReadOnlyList<string> Fields)> OthersThan(
        V1ServiceAccount account,
        string manager) =>
        [.. (account.Metadata?.ManagedFields ?? [])
            .Where(e => e.Manager != manager)
            .GroupBy(e => e.Manager ?? "(unnamed)")
            .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.SelectMany(e => Fields(e.FieldsV1)).Distinct()]))
            .Where(o => o.Item2.Count > 0)];

    /// <summary>The fields the object holds: its labels, annotations and set top-level fields.</summary>
    public static HashSet<string> Present(V1ServiceAccount account)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        present.UnionWith((account.Metadata?.Annotations?.Keys ?? []).Select(k => "annotation " + k));
        present.UnionWith((account.Metadata?.Labels?.Keys ?? []).Select(k => "label " + k));
        if (account.Secrets is { Count: > 0 })
        {
            present.Add("field secrets");
        }

        if (account.ImagePullSecrets is { Count: > 0 })
        {
            present.Add("field imagePullSecrets");
        }

        if (account.Metadata?.OwnerReferences is { Count: > 0 })
        {
            present.Add("field metadata.ownerReferences");
        }

        if (account.Metadata?.Finalizers is { Count: > 0 })
        {
            present.Add("field metadata.finalizers");
        }

        if (account.AutomountServiceAccountToken is not null)
        {
            present.Add("field automountServiceAccountToken");
        }

        return present;
    }

    private static IEnumerable<string> Fields(object? fieldsV1)
    {
        if (fieldsV1 is not JsonElement { ValueKind: JsonValueKind.Object } root)
        {
            yield break;
        }

        foreach (var top in root.EnumerateObject())
        {
            if (top.Name != "f:metadata")
            {
                if (top.Name.StartsWith("f:", StringComparison.Ordinal))
                {
                    yield return "field " + top.Name[2..];
                }

                continue;
            }

            if (top.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var member in top.Value.EnumerateObject())
            {
                var prefix = member.Name switch
                {
                    "f:annotations" => "annotation ",
                    "f:labels" => "label ",
                    _ => null,
                };
                if (prefix is null)
                {
                    if (member.Name.StartsWith("f:", StringComparison.Ordinal)
                        && !ServerSetMetadata.Contains(member.Name))
                    {
                        yield return "field metadata." + member.Name[2..];
                    }

                    continue;
                }

                if (member.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var key in member.Value.EnumerateObject())
                {
                    if (key.Name.StartsWith("f:", StringComparison.Ordinal))
                    {
                        yield return prefix + key.Name[2..];
                    }
                }
            }
        }
    }
}
