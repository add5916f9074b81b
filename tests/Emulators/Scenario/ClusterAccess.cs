namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>How the world's job reaches the cluster (the task's clusterConnection input).</summary>
public enum ClusterAccess
{
    /// <summary>The AKS credentials through the Azure Resource Manager connection (the task's default).</summary>
    AzureResourceManager,

    /// <summary>A Kubernetes service connection of the service account kind.</summary>
    KubernetesServiceConnection,

    /// <summary>A kubeconfig file.</summary>
    Kubeconfig,
}
