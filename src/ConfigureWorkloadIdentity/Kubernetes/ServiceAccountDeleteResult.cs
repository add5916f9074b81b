namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>
/// The result of <see cref="ClusterClient.DeleteServiceAccountIfOnlyOursAsync"/>, with the reason in words (the
/// other field managers and what they own, say) for the run's report.
/// </summary>
internal sealed record ServiceAccountDeleteResult(ServiceAccountDeleteOutcome Outcome, string Reason);
