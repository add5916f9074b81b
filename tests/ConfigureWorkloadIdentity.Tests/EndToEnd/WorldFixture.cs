using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>One emulated world shared by a test class whose runs must leave it untouched.</summary>
public sealed class WorldFixture : IAsyncLifetime
{
    private EmulatedWorld? _world;

    public AgentHarness Harness { get; } = new(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);

    public EmulatedWorld World => _world ?? throw new InvalidOperationException("The world is not started.");

    public async Task InitializeAsync() => _world = await EmulatedWorld.StartAsync();

    public async Task DisposeAsync()
    {
        if (_world is not null)
        {
            await _world.DisposeAsync();
        }
    }
}
