using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// Server-side apply and Update bookkeeping over labels, annotations and top-level fields, following
/// structured-merge-diff: appliers conflict only on differing values owned by others, force moves ownership,
/// a field an applier drops is removed unless someone else still owns it, and Update operations take what they
/// change without conflicts.
/// </summary>
internal static class FieldOwnership
{
    /// <summary>Applies <paramref name="applied"/> for <paramref name="manager"/> onto a copy of live.</summary>
    /// <exception cref="KubernetesApiException">409 when another manager owns a differing value.</exception>
    public static StoredObject Apply(
        StoredObject live,
        IReadOnlyDictionary<FieldPath, JsonNode> applied,
        string manager,
        bool force,
        DateTimeOffset now)
    {
        var result = live.Clone();
        var conflicts = new List<(ManagedFieldsEntry Owner, FieldPath Path)>();
        foreach (var (path, value) in applied)
        {
            var current = live.GetValue(path);
            if (current is null || JsonNode.DeepEquals(current, value))
            {
                continue;
            }

            foreach (var owner in live.ManagedFields)
            {
                if (!owner.Is(manager, ManagedFieldsEntry.Apply) && owner.Fields.Contains(path))
                {
                    conflicts.Add((owner, path));
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw KubernetesStatus.ApplyConflict(
            [
                .. conflicts
                    .OrderBy(c => c.Owner.SortKey, StringComparer.Ordinal)
                    .ThenBy(c => c.Path.Render(), StringComparer.Ordinal)
                    .Select(c => new FieldConflict(c.Owner.Display, c.Owner.SortKey, c.Path.Render())),
            ]);
        }

        foreach (var (owner, path) in conflicts)
        {
            result.ManagedFields.Single(e => e.Is(owner.Manager, owner.Operation)).Fields.Remove(path);
        }

        foreach (var (path, value) in applied)
        {
            result.SetValue(path, value);
        }

        var mine = result.ManagedFields.SingleOrDefault(e => e.Is(manager, ManagedFieldsEntry.Apply));
        if (mine is null)
        {
            mine = new ManagedFieldsEntry { Manager = manager, Operation = ManagedFieldsEntry.Apply, Time = now };
            result.ManagedFields.Add(mine);
        }

        foreach (var dropped in mine.Fields.Where(p => !applied.ContainsKey(p)).ToList())
        {
            mine.Fields.Remove(dropped);
            if (!result.ManagedFields.Any(e => e.Fields.Contains(dropped)))
            {
                result.Remove(dropped);
            }
        }

        mine.Fields.UnionWith(applied.Keys);
        DropEmptyEntries(result);
        if (!result.ValuesEqual(live))
        {
            // managedFieldsUpdater bumps the applier's time only when the merge changed the object.
            mine.Time = now;
        }

        return result;
    }

    /// <summary>Records an Update operation that turned <paramref name="before"/> into after.</summary>
    public static void RecordUpdate(StoredObject before, StoredObject after, string manager, DateTimeOffset now)
    {
        var changed = after.ValuePaths()
            .Where(p => !JsonNode.DeepEquals(before.GetValue(p), after.GetValue(p)))
            .ToList();
        var removed = before.ValuePaths().Where(p => after.GetValue(p) is null).ToList();
        if (before.Labels.Count == 0 && after.Labels.Count > 0)
        {
            changed.Add(FieldPath.Label(FieldPath.MapMarker));
        }

        if (before.Annotations.Count == 0 && after.Annotations.Count > 0)
        {
            changed.Add(FieldPath.Annotation(FieldPath.MapMarker));
        }

        if (after.Labels.Count == 0)
        {
            removed.Add(FieldPath.Label(FieldPath.MapMarker));
        }

        if (after.Annotations.Count == 0)
        {
            removed.Add(FieldPath.Annotation(FieldPath.MapMarker));
        }

        foreach (var entry in after.ManagedFields)
        {
            entry.Fields.ExceptWith(changed);
            entry.Fields.ExceptWith(removed);
        }

        if (changed.Count > 0)
        {
            var mine = after.ManagedFields.SingleOrDefault(e => e.Is(manager, ManagedFieldsEntry.Update));
            if (mine is null)
            {
                mine = new ManagedFieldsEntry { Manager = manager, Operation = ManagedFieldsEntry.Update };
                after.ManagedFields.Add(mine);
            }

            mine.Fields.UnionWith(changed);
            mine.Time = now;
        }

        DropEmptyEntries(after);
    }

    private static void DropEmptyEntries(StoredObject target) =>
        target.ManagedFields.RemoveAll(e => e.Fields.Count == 0);
}
