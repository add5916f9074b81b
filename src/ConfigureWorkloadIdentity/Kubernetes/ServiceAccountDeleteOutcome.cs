namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>What <see cref="ClusterClient.DeleteServiceAccountIfOnlyOursAsync"/> did.</summary>
internal enum ServiceAccountDeleteOutcome
{
    /// <summary>Everything on it was this task's; it is deleted.</summary>
    Deleted,

    /// <summary>There is no such ServiceAccount (or it went meanwhile).</summary>
    Missing,

    /// <summary>Someone else owns some of it (or this task owns none of it); it is kept.</summary>
    Kept,

    /// <summary>
    /// It changed between the read and the delete (409 on the uid/resourceVersion precondition); it is kept.
    /// </summary>
    ChangedMeanwhile,
}
