namespace ConfigureWorkloadIdentity.Binding;

/// <summary>Everything one step needs besides credentials: its bindings and how to reach the cluster.</summary>
/// <param name="Bindings">The validated bindings, at least one; each ServiceAccount appears once.</param>
/// <param name="KubeconfigPath">An explicit kubeconfig path, or null for KUBECONFIG / ~/.kube/config.</param>
/// <param name="WhatIf">Read and plan only; write nothing.</param>
internal sealed record RunRequest(IReadOnlyList<BindingRequest> Bindings, string? KubeconfigPath, bool WhatIf = false)
{
    /// <summary>Apply, remove or render.</summary>
    public StepAction Action { get; init; } = StepAction.Apply;

    /// <summary>Where render writes the ServiceAccount manifests.</summary>
    public string? ManifestPath { get; init; }

    /// <summary>How to create a missing identity, or null to fail when it is missing.</summary>
    public IdentityCreation? CreateIdentity { get; init; }

    /// <summary>Whether to prove the trust after applying it (a token exchange at Entra ID).</summary>
    public bool Verify { get; init; } = true;

    /// <summary>How long verification waits for a new credential to propagate.</summary>
    public TimeSpan VerifyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How the cluster is reached.</summary>
    public ClusterConnectionKind ClusterConnection { get; init; } = ClusterConnectionKind.Kubeconfig;

    /// <summary>The AKS cluster whose credentials ARM gives, for the AzureResourceManager connection.</summary>
    public ClusterReference? AksCluster { get; init; }

    /// <summary>Whether to fetch the cluster's admin credentials rather than the user's.</summary>
    public bool UseClusterAdmin { get; init; }

    /// <summary>The kubeconfig context, or null for its current-context.</summary>
    public string? KubeconfigContext { get; init; }

    /// <summary>The Kubernetes service connection's id, for the KubernetesServiceConnection connection.</summary>
    public string? KubernetesServiceConnectionId { get; init; }
}
