using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>
/// A fault injected into an emulator for requests whose method and path match. It fires <see cref="Times"/>
/// times (or for ever when null), then stops matching.
/// </summary>
public sealed class FaultRule
{
    private int _fired;

    /// <summary>The HTTP method to match, or null for any.</summary>
    public string? Method { get; init; }

    /// <summary>A regular expression the request path must match (case-insensitive).</summary>
    public required string PathPattern { get; init; }

    /// <summary>What the fault does.</summary>
    public FaultKind Kind { get; init; } = FaultKind.Respond;

    /// <summary>The status code for <see cref="FaultKind.Respond"/>.</summary>
    public int Status { get; init; } = 500;

    /// <summary>The JSON body for <see cref="FaultKind.Respond"/>.</summary>
    public string Body { get; init; } = "";

    /// <summary>Extra response headers for <see cref="FaultKind.Respond"/>, e.g. Retry-After.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The wait for <see cref="FaultKind.Latency"/>.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>
    /// Runs when the rule fires, before the fault takes effect; e.g. a zero <see cref="FaultKind.Latency"/> whose
    /// action advances an <see cref="EmulatorClock"/> makes the request seem to arrive that much later.
    /// </summary>
    public Action? OnFire { get; init; }

    /// <summary>How many times the rule fires; null for every matching request.</summary>
    public int? Times { get; init; }

    /// <summary>How many times the rule has fired so far.</summary>
    public int Fired => Volatile.Read(ref _fired);

    internal bool TryFire(string method, string path)
    {
        if (Method is not null && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!Regex.IsMatch(path, PathPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
        {
            return false;
        }

        var count = Interlocked.Increment(ref _fired);
        if (Times is { } limit && count > limit)
        {
            Interlocked.Decrement(ref _fired);
            return false;
        }

        return true;
    }
}
