namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>Whether the Azure workload identity mutating webhook is installed on the cluster.</summary>
internal enum WebhookState
{
    /// <summary>Its MutatingWebhookConfiguration exists.</summary>
    Installed,

    /// <summary>The cluster says it does not exist (404).</summary>
    Absent,

    /// <summary>The cluster would not say (403: the identity may not read webhook configurations).</summary>
    Unknown,
}
