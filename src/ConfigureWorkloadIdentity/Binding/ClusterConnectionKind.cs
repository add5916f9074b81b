namespace ConfigureWorkloadIdentity.Binding;

/// <summary>How the run reaches the cluster to apply the ServiceAccount (input clusterConnection).</summary>
internal enum ClusterConnectionKind
{
    /// <summary>The AKS cluster's credentials through the Azure Resource Manager connection.</summary>
    AzureResourceManager,

    /// <summary>A Kubernetes service connection.</summary>
    KubernetesServiceConnection,

    /// <summary>A kubeconfig file.</summary>
    Kubeconfig,
}
