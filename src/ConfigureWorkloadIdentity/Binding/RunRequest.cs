namespace ConfigureWorkloadIdentity.Binding;

/// <summary>Everything one run needs besides credentials: the binding and how to reach the cluster.</summary>
/// <param name="Binding">The validated binding.</param>
/// <param name="KubeconfigPath">An explicit kubeconfig path, or null for KUBECONFIG / ~/.kube/config.</param>
/// <param name="WhatIf">Read and plan only; write nothing.</param>
internal sealed record RunRequest(BindingRequest Binding, string? KubeconfigPath, bool WhatIf = false);
