using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>One manager's ownership record, as metadata.managedFields carries it.</summary>
internal sealed class ManagedFieldsEntry
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public required string Manager { get; init; }

    /// <summary><see cref="Apply"/> or <see cref="Update"/>; with the manager it forms the identity.</summary>
    public required string Operation { get; init; }

    public DateTimeOffset Time { get; set; }

    public HashSet<FieldPath> Fields { get; init; } = [];

    /// <summary>The manager as conflict messages print it (printManager).</summary>
    public string Display => Operation == Update
        ? $"{GoText.Quote(Manager)} using v1"
        : GoText.Quote(Manager);

    /// <summary>The apiserver sorts conflicting managers by their encoded identity, manager name first.</summary>
    public string SortKey => Manager + "\0" + Operation;

    public bool Is(string manager, string operation) => Manager == manager && Operation == operation;

    public ManagedFieldsEntry Clone() => new()
    {
        Manager = Manager,
        Operation = Operation,
        Time = Time,
        Fields = [.. Fields],
    };

    public bool SameAs(ManagedFieldsEntry other) =>
        Is(other.Manager, other.Operation) && Time == other.Time && Fields.SetEquals(other.Fields);

    public JsonObject ToJson()
    {
        var fieldsV1 = new JsonObject();
        var metadata = new JsonObject();
        AddMap(metadata, "f:annotations", FieldPathKind.Annotation);
        AddMap(metadata, "f:labels", FieldPathKind.Label);
        var top = Fields.Where(f => f.Kind == FieldPathKind.Field).Select(f => "f:" + f.Name).ToList();
        if (metadata.Count > 0)
        {
            top.Add("f:metadata");
        }

        foreach (var key in top.Order(StringComparer.Ordinal))
        {
            fieldsV1[key] = key == "f:metadata" ? metadata : new JsonObject();
        }

        return new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = "v1",
            ["time"] = GoText.Time(Time),
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = fieldsV1,
        };
    }

    private void AddMap(JsonObject metadata, string name, FieldPathKind kind)
    {
        var keys = Fields.Where(f => f.Kind == kind)
            .Select(f => f.IsMarker ? "." : "f:" + f.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (keys.Count == 0)
        {
            return;
        }

        var map = new JsonObject();
        foreach (var key in keys)
        {
            map[key] = new JsonObject();
        }

        metadata[name] = map;
    }
}
