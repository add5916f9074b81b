namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// A field whose ownership is tracked. <see cref="MapMarker"/> as the name of a label or annotation path stands
/// for the map itself (the <c>.</c> entry an Update manager gets when it creates the map).
/// </summary>
internal readonly record struct FieldPath(FieldPathKind Kind, string Name)
{
    public const string MapMarker = ".";

    public bool IsMarker => Kind != FieldPathKind.Field && Name == MapMarker;

    /// <summary>The path as fieldpath.Path prints it in conflict messages.</summary>
    public string Render() => Kind switch
    {
        FieldPathKind.Label => ".metadata.labels." + Name,
        FieldPathKind.Annotation => ".metadata.annotations." + Name,
        _ => "." + Name,
    };

    public static FieldPath Label(string key) => new(FieldPathKind.Label, key);

    public static FieldPath Annotation(string key) => new(FieldPathKind.Annotation, key);

    public static FieldPath Field(string name) => new(FieldPathKind.Field, name);
}
