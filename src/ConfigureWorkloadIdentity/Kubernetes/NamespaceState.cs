namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>What the cluster says of a namespace.</summary>
internal enum NamespaceState
{
    /// <summary>It does not exist.</summary>
    Missing,

    /// <summary>It exists and accepts new objects.</summary>
    Active,

    /// <summary>It is being deleted: existing objects can be updated, new ones cannot be created.</summary>
    Terminating,
}
