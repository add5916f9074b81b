using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>A Namespace or ServiceAccount as the emulator stores it.</summary>
internal sealed class StoredObject
{
    public StoredObject(ResourceType type, string? namespaceName, string name)
    {
        Type = type;
        Namespace = namespaceName;
        Name = name;
    }

    public ResourceType Type { get; }

    public string? Namespace { get; }

    public string Name { get; }

    public string Uid { get; set; } = "";

    /// <summary>0 until stored.</summary>
    public long ResourceVersion { get; set; }

    public DateTimeOffset? CreationTimestamp { get; set; }

    public DateTimeOffset? DeletionTimestamp { get; set; }

    public SortedDictionary<string, string> Labels { get; private init; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, string> Annotations { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>Top-level fields of <see cref="ResourceType.Fields"/> that are set.</summary>
    public Dictionary<string, JsonNode> Fields { get; private init; } = new(StringComparer.Ordinal);

    public List<ManagedFieldsEntry> ManagedFields { get; private init; } = [];

    public bool IsTerminating => DeletionTimestamp is not null;

    public JsonNode? GetValue(FieldPath path) => path.Kind switch
    {
        FieldPathKind.Label => Labels.TryGetValue(path.Name, out var label) ? JsonValue.Create(label) : null,
        FieldPathKind.Annotation => Annotations.TryGetValue(path.Name, out var note) ? JsonValue.Create(note) : null,
        _ => Fields.TryGetValue(path.Name, out var field) ? field : null,
    };

    public void SetValue(FieldPath path, JsonNode value)
    {
        switch (path.Kind)
        {
            case FieldPathKind.Label:
                Labels[path.Name] = value.GetValue<string>();
                break;
            case FieldPathKind.Annotation:
                Annotations[path.Name] = value.GetValue<string>();
                break;
            default:
                Fields[path.Name] = value.DeepClone();
                break;
        }
    }

    public void Remove(FieldPath path)
    {
        _ = path.Kind switch
        {
            FieldPathKind.Label => Labels.Remove(path.Name),
            FieldPathKind.Annotation => Annotations.Remove(path.Name),
            _ => Fields.Remove(path.Name),
        };
    }

    /// <summary>Every set field that ownership is tracked for.</summary>
    public IEnumerable<FieldPath> ValuePaths() =>
        Labels.Keys.Select(FieldPath.Label)
            .Concat(Annotations.Keys.Select(FieldPath.Annotation))
            .Concat(Fields.Keys.Select(FieldPath.Field));

    public bool ValuesEqual(StoredObject other) =>
        Labels.Count == other.Labels.Count && Annotations.Count == other.Annotations.Count
        && Fields.Count == other.Fields.Count
        && ValuePaths().All(p => JsonNode.DeepEquals(GetValue(p), other.GetValue(p)));

    public bool ManagedFieldsEqual(StoredObject other) =>
        ManagedFields.Count == other.ManagedFields.Count
        && ManagedFields.All(e => other.ManagedFields.Any(o => o.SameAs(e)));

    public StoredObject Clone() => new(Type, Namespace, Name)
    {
        Uid = Uid,
        ResourceVersion = ResourceVersion,
        CreationTimestamp = CreationTimestamp,
        DeletionTimestamp = DeletionTimestamp,
        Labels = new SortedDictionary<string, string>(Labels, StringComparer.Ordinal),
        Annotations = new SortedDictionary<string, string>(Annotations, StringComparer.Ordinal),
        Fields = Fields.ToDictionary(f => f.Key, f => f.Value.DeepClone(), StringComparer.Ordinal),
        ManagedFields = [.. ManagedFields.Select(e => e.Clone())],
    };

    /// <summary>The object in the apiserver's JSON member order; list items leave out kind and apiVersion.</summary>
    public JsonObject ToJson(bool withTypeMeta = true)
    {
        var metadata = new JsonObject { ["name"] = Name };
        if (Namespace is not null)
        {
            metadata["namespace"] = Namespace;
        }

        if (Uid.Length > 0)
        {
            metadata["uid"] = Uid;
        }

        if (ResourceVersion > 0)
        {
            metadata["resourceVersion"] = ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (CreationTimestamp is { } created)
        {
            metadata["creationTimestamp"] = GoText.Time(created);
        }

        if (DeletionTimestamp is { } deleted)
        {
            metadata["deletionTimestamp"] = GoText.Time(deleted);
        }

        if (Labels.Count > 0)
        {
            metadata["labels"] = ToJson(Labels);
        }

        if (Annotations.Count > 0)
        {
            metadata["annotations"] = ToJson(Annotations);
        }

        if (ManagedFields.Count > 0)
        {
            metadata["managedFields"] = new JsonArray([.. SortedManagedFields().Select(e => e.ToJson())]);
        }

        var json = new JsonObject();
        if (withTypeMeta)
        {
            json["kind"] = Type.Kind;
            json["apiVersion"] = "v1";
        }

        json["metadata"] = metadata;
        foreach (var field in Type.Fields)
        {
            if (Fields.TryGetValue(field, out var value))
            {
                json[field] = value.DeepClone();
            }
        }

        if (Type == ResourceType.Namespaces)
        {
            json["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            json["status"] = new JsonObject { ["phase"] = IsTerminating ? "Terminating" : "Active" };
        }

        return json;
    }

    /// <summary>sortEncodedManagedFields: by operation, then time, then manager.</summary>
    private IEnumerable<ManagedFieldsEntry> SortedManagedFields() =>
        ManagedFields
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time.ToUnixTimeSeconds())
            .ThenBy(e => e.Manager, StringComparer.Ordinal);

    private static JsonObject ToJson(SortedDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map)
        {
            json[key] = value;
        }

        return json;
    }
}
