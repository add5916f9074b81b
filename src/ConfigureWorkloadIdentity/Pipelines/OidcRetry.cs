namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// How the job's OIDC token request is retried: as the in-box Azure tasks do (azure-arm-rest, 3 tries 2 s apart),
/// on transient failures only. A 401 or 403 is the pipeline's authorization and no retry changes it.
/// </summary>
internal static class OidcRetry
{
    /// <summary>Tries in all, the first included.</summary>
    public const int Attempts = 3;

    /// <summary>The wait between tries in a real run; tests pass a shorter one.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    /// <summary>Whether an answer with <paramref name="status"/> may succeed when asked again.</summary>
    public static bool IsTransient(int status) => status is 408 or 429 or >= 500;
}
