namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>What reading the workload identity webhook's configuration found.</summary>
/// <param name="State">Installed, absent or unknown.</param>
/// <param name="ServiceNamespace">
/// Where its service runs when installed: kube-system for the AKS add-on, another namespace (usually
/// azure-workload-identity-system) for a Helm or manual install.
/// </param>
internal sealed record WebhookStatus(WebhookState State, string? ServiceNamespace);
