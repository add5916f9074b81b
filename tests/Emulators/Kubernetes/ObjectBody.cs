using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// Reads request bodies: JSON, YAML or protobuf objects, the tracked fields they set (type-checked), merge
/// patches, and unknown fields under the fieldValidation rules.
/// </summary>
internal static class ObjectBody
{
    public static KubernetesApiException NameMismatch(string bodyName, string urlName) =>
        KubernetesStatus.BadRequest(
            $"the name of the object ({bodyName}) does not match the name on the URL ({urlName})");

    private static readonly HashSet<string> ObjectMetaFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
        "ownerReferences", "finalizers", "managedFields",
    };

    public static JsonObject ParseJsonBody(KubernetesRequest request)
    {
        if (request.ContentType.StartsWith(ProtobufObjectReader.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return ProtobufObjectReader.Read(request.RawBody);
        }

        if (request.ContentType.Contains("yaml", StringComparison.OrdinalIgnoreCase))
        {
            return YamlJson.ParseObject(request.Body);
        }

        try
        {
            return JsonNode.Parse(request.Body) as JsonObject
                ?? throw KubernetesStatus.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw KubernetesStatus.BadRequest($"error decoding the request body: {ex.Message}");
        }
    }

    public static Func<string, string, JsonNode?, KubernetesApiException> TypedPatchError(ResourceType type) =>
        (path, expected, got) => KubernetesStatus.BadRequest(
            $"failed to create typed patch object (/v1, Kind={type.Kind}): {path}: expected {expected}, got "
            + (got?.ToJsonString() ?? "null"));

    public static Func<string, string, JsonNode?, KubernetesApiException> TypedDecodeError(ResourceType type) =>
        (path, expected, _) => KubernetesStatus.BadRequest(
            $"{type.Kind} in version \"v1\" cannot be handled as a {type.Kind}: {path}: expected {expected}");

    /// <summary>The tracked fields an object body sets; unknown fields are collected for warnings.</summary>
    public static Dictionary<FieldPath, JsonNode> ExtractFields(
        JsonObject body,
        ResourceType type,
        List<string> unknown,
        Func<string, string, JsonNode?, KubernetesApiException> typeError)
    {
        var fields = new Dictionary<FieldPath, JsonNode>();
        foreach (var (key, value) in body)
        {
            switch (key)
            {
                case "apiVersion" or "kind":
                    break;
                case "metadata":
                    if (value is not JsonObject metadata)
                    {
                        if (value is not null)
                        {
                            throw typeError(".metadata", "map", value);
                        }

                        break;
                    }

                    foreach (var (metaKey, _) in metadata)
                    {
                        if (!ObjectMetaFields.Contains(metaKey))
                        {
                            unknown.Add("metadata." + metaKey);
                        }
                    }

                    AddMap(fields, metadata["labels"], FieldPathKind.Label, ".metadata.labels", typeError);
                    AddMap(fields, metadata["annotations"], FieldPathKind.Annotation, ".metadata.annotations",
                        typeError);
                    break;
                case "spec" or "status" when type == ResourceType.Namespaces:
                    // Namespace spec and status are server-managed here.
                    break;
                default:
                    if (!type.Fields.Contains(key))
                    {
                        unknown.Add(key);
                    }
                    else if (value is not null)
                    {
                        CheckFieldType(key, value, typeError);
                        fields[FieldPath.Field(key)] = value.DeepClone();
                    }

                    break;
            }
        }

        return fields;
    }

    private static void AddMap(
        Dictionary<FieldPath, JsonNode> fields,
        JsonNode? node,
        FieldPathKind kind,
        string path,
        Func<string, string, JsonNode?, KubernetesApiException> typeError)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject map)
        {
            throw typeError(path, "map", node);
        }

        foreach (var (key, value) in map)
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var s))
            {
                fields[new FieldPath(kind, key)] = JsonValue.Create(s);
            }
            else if (value is not null)
            {
                throw typeError($"{path}.{key}", "string", value);
            }
        }
    }

    private static void CheckFieldType(
        string key, JsonNode value, Func<string, string, JsonNode?, KubernetesApiException> typeError)
    {
        var ok = key == "automountServiceAccountToken"
            ? value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            : value is JsonArray array && array.All(i => i is JsonObject);
        if (!ok)
        {
            throw typeError("." + key, key == "automountServiceAccountToken" ? "boolean" : "list", value);
        }
    }

    /// <summary>JSON merge patch (and strategic merge, the same for maps and atomic fields).</summary>
    public static void ApplyMergePatch(StoredObject target, JsonObject patch, ResourceType type, List<string> unknown)
    {
        var typeError = TypedDecodeError(type);
        foreach (var (key, value) in patch)
        {
            switch (key)
            {
                case "apiVersion" or "kind":
                    break;
                case "metadata" when value is JsonObject metadata:
                    if (metadata["name"] is JsonValue n && n.TryGetValue<string>(out var name) && name != target.Name)
                    {
                        throw NameMismatch(name, target.Name);
                    }

                    MergeMap(target.Labels, metadata, "labels", typeError);
                    MergeMap(target.Annotations, metadata, "annotations", typeError);
                    unknown.AddRange(metadata.Select(m => m.Key).Where(m => !ObjectMetaFields.Contains(m))
                        .Select(m => "metadata." + m));
                    break;
                case "spec" or "status" when type == ResourceType.Namespaces:
                    break;
                default:
                    if (!type.Fields.Contains(key))
                    {
                        unknown.Add(key);
                    }
                    else if (value is null)
                    {
                        target.Fields.Remove(key);
                    }
                    else
                    {
                        CheckFieldType(key, value, typeError);
                        target.Fields[key] = value.DeepClone();
                    }

                    break;
            }
        }
    }

    private static void MergeMap(
        SortedDictionary<string, string> map,
        JsonObject metadata,
        string name,
        Func<string, string, JsonNode?, KubernetesApiException> typeError)
    {
        if (!metadata.TryGetPropertyValue(name, out var node))
        {
            return;
        }

        if (node is null)
        {
            map.Clear();
            return;
        }

        if (node is not JsonObject patch)
        {
            throw typeError(".metadata." + name, "map", node);
        }

        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                map.Remove(key);
            }
            else if (value is JsonValue text && text.TryGetValue<string>(out var s))
            {
                map[key] = s;
            }
            else
            {
                throw typeError($".metadata.{name}.{key}", "string", value);
            }
        }
    }

    /// <summary>fieldValidation: Ignore drops unknown fields, Strict rejects them, Warn (default) warns.</summary>
    public static List<string> CheckUnknownFields(
        List<string> unknown, string fieldValidation, bool apply, ResourceType type)
    {
        if (unknown.Count == 0 || fieldValidation == "Ignore")
        {
            return [];
        }

        if (fieldValidation == "Strict")
        {
            throw KubernetesStatus.BadRequest(apply
                ? $"failed to create typed patch object (/v1, Kind={type.Kind}): ."
                    + string.Join(", .", unknown) + ": field not declared in schema"
                : "strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
        }

        return [.. unknown.Select(u => $"unknown field \"{u}\"")];
    }
}
