namespace ConfigureWorkloadIdentity.Azure;

/// <summary>
/// The waits of <see cref="ArmClient"/>'s own retries, for answers Azure.Core's retry policy does not retry.
/// Tests pass a <see cref="DelayAsync"/> that returns at once (or moves an emulator's clock) to stay fast.
/// </summary>
internal sealed record ArmRetrySettings
{
    /// <summary>The first wait after a 409 concurrent federated credential write; it doubles, plus jitter.</summary>
    public TimeSpan ConcurrentWriteBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The waits between role assignment PUTs answered 400 PrincipalNotFound (a new identity's service
    /// principal not replicated yet). az waits 2, 4, … 18 s over ten attempts; so do we: 90 s in all.
    /// </summary>
    public IReadOnlyList<TimeSpan> PrincipalNotFoundDelays { get; init; } =
        [.. Enumerable.Range(1, 9).Select(i => TimeSpan.FromSeconds(2 * i))];

    /// <summary>
    /// The waits between federated credential writes answered 404 (parent identity not found) on an identity
    /// this client just created, while Microsoft.ManagedIdentity replicates it: 60 s in all.
    /// </summary>
    public IReadOnlyList<TimeSpan> NewIdentityDelays { get; init; } =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8),
        TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15),
    ];

    /// <summary>Waits; <see cref="Task.Delay(TimeSpan, CancellationToken)"/> outside tests.</summary>
    public Func<TimeSpan, CancellationToken, Task> DelayAsync { get; init; } = Task.Delay;
}
