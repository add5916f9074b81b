namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>
/// The time emulators issue and check tokens by: real time plus an offset a test can move forward, so a run can be
/// "slowed" past a token's lifetime without waiting. Share one clock between emulators that trust each other.
/// </summary>
public sealed class EmulatorClock
{
    private long _offsetTicks;

    /// <summary>The emulated current time.</summary>
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow + Offset;

    /// <summary>How far the clock runs ahead of real time.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
