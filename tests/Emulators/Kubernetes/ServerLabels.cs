namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>Labels the apiserver sets itself.</summary>
internal static class ServerLabels
{
    /// <summary>Every namespace carries its own name under this label.</summary>
    public const string NamespaceName = "kubernetes.io/metadata.name";
}
