namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>What taking back this task's fields from a ServiceAccount did.</summary>
internal enum ServiceAccountReleaseOutcome
{
    /// <summary>There is no such ServiceAccount; nothing was sent.</summary>
    Missing,

    /// <summary>This task's field manager owns nothing on it; nothing was sent.</summary>
    NothingOwned,

    /// <summary>An empty apply released every field; those only this task owned are gone.</summary>
    Released,
}
