using System.Globalization;

namespace ConfigureWorkloadIdentity;

/// <summary>
/// How long one attempt of a remote call (Resource Manager, the Kubernetes API) may wait for its answer before it is
/// abandoned and retried: 30 seconds, or the seconds in the <c>CWI_REQUEST_TIMEOUT</c> environment variable (a
/// pipeline variable of that name reaches the task as one), 1 to 300.
/// </summary>
/// <remarks>
/// Without it a call that never answers would hang for Azure.Core's and HttpClient's 100 seconds per attempt, about
/// seven minutes over the retries. Read once from the process environment at start, like the agent's own knobs.
/// </remarks>
internal static class RequestTimeout
{
    /// <summary>The environment variable that overrides the default.</summary>
    public const string VariableName = "CWI_REQUEST_TIMEOUT";

    private static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>The timeout per attempt.</summary>
    public static TimeSpan PerAttempt { get; } = Parse(Environment.GetEnvironmentVariable(VariableName));

    /// <summary>Whole seconds from 1 to 300; anything else (unset, garbage) is the default.</summary>
    public static TimeSpan Parse(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 1 and <= 300
            ? TimeSpan.FromSeconds(seconds)
            : Default;
}
