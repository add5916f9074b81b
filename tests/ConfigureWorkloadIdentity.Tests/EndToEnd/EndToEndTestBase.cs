using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Azure;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// A fresh emulated world per test, seeded with the reference scenario, and the task run in it through the
/// real Node shim the way the agent runs it.
/// </summary>
public abstract class EndToEndTestBase : IAsyncLifetime
{
    private readonly AgentHarness _harness = new(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);
    private EmulatedWorld? _world;

    protected AgentHarness Harness => _harness;

    protected EmulatedWorld World => _world ?? throw new InvalidOperationException("The world is not started.");

    protected ReferenceScenario Scenario => World.Scenario;

    public async Task InitializeAsync() => _world = await EmulatedWorld.StartAsync();

    public async Task DisposeAsync()
    {
        if (_world is not null)
        {
            await _world.DisposeAsync();
        }
    }

    /// <summary>
    /// Runs the task; the harness checks every run for leaked secrets (the world's among them), whatever the test
    /// asserts besides.
    /// </summary>
    protected Task<TaskRun> RunAsync(Action<Dictionary<string, string>>? inputs = null) =>
        _harness.RunAsync(World.CreateJob(inputs));

    protected IReadOnlyList<FederatedCredential> Credentials() =>
        World.Azure.State.GetFederatedCredentials(
            Scenario.SubscriptionId, Scenario.IdentityResourceGroup, Scenario.IdentityName);

    protected async Task<string> KubectlAsync(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await World.Kubectl.RunAsync(arguments);
        Assert.True(exitCode == 0, $"kubectl {string.Join(' ', arguments)} failed: {stderr}");
        return stdout;
    }

    protected async Task<JsonNode> KubectlServiceAccountAsync() =>
        JsonNode.Parse(await KubectlAsync(
            "get", "serviceaccount", Scenario.ServiceAccountName, "-n", Scenario.Namespace, "-o", "json"))!;
}
