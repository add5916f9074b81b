namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>Where a tracked field lives in an object.</summary>
internal enum FieldPathKind
{
    /// <summary>A key of metadata.labels.</summary>
    Label,

    /// <summary>A key of metadata.annotations.</summary>
    Annotation,

    /// <summary>A top-level field, owned as a whole (atomic).</summary>
    Field,
}
