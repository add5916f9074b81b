using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

// The README's main command: the task on the reference scenario against emulated Azure and AKS, run twice
// through the real Node shim as the agent runs it, then what the emulated world holds.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

await using var world = await EmulatedWorld.StartAsync(cancellationToken: cancellation.Token);
var scenario = world.Scenario;
Console.WriteLine("Configure Workload Identity sandbox");
Console.WriteLine($"  Entra ID + Resource Manager emulator: {world.Azure.BaseUri}");
Console.WriteLine($"  Kubernetes API emulator:              {world.Kubernetes.BaseUri}");
Console.WriteLine(
    $"  Identity {scenario.IdentityName} (client id {scenario.ClientId}) in {scenario.IdentityResourceGroup}");
Console.WriteLine($"  Cluster {scenario.ClusterName}, issuer {scenario.IssuerUrl}");
Console.WriteLine($"  Binding {scenario.Subject}");
Console.WriteLine();

var harness = new AgentHarness(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);
using var first = await RunAsync("First run", harness, world, cancellation.Token);
using var second = await RunAsync("Second run (nothing should change)", harness, world, cancellation.Token);

Console.WriteLine("== What the emulated Azure holds");
foreach (var credential in world.Azure.State.GetFederatedCredentials(
    scenario.SubscriptionId, scenario.IdentityResourceGroup, scenario.IdentityName))
{
    Console.WriteLine($"  federated credential {credential.Name}");
    Console.WriteLine($"    issuer:    {credential.Issuer}");
    Console.WriteLine($"    subject:   {credential.Subject}");
    Console.WriteLine($"    audiences: {string.Join(", ", credential.Audiences)}");
}

Console.WriteLine();
Console.WriteLine($"== What the emulated cluster holds (read back with {Kubectl.Executable})");
var (exitCode, stdout, stderr) = await world.Kubectl.RunAsync(
    ["get", "serviceaccount", scenario.ServiceAccountName, "-n", scenario.Namespace, "-o", "yaml"],
    cancellation.Token);
Console.WriteLine(exitCode == 0 ? Indent(stdout) : $"  kubectl failed ({exitCode}): {stderr}");

var ok = first.Result == TaskResult.Succeeded && second.Result == TaskResult.Succeeded
    && second.ResultMessage?.Contains("nothing changed", StringComparison.Ordinal) == true;
Console.WriteLine(ok
    ? "Sandbox: both runs succeeded; the second changed nothing."
    : $"Sandbox: unexpected results: first {first.Result}, second {second.Result} ({second.ResultMessage}).");
return ok ? 0 : 1;

static async Task<TaskRun> RunAsync(string title, AgentHarness harness, EmulatedWorld world, CancellationToken ct)
{
    Console.WriteLine($"== {title}: node run.js, as the agent starts it; raw output (secrets shown as ***)");
    var run = await harness.RunAsync(world.CreateJob(), ct);
    foreach (var line in run.Lines)
    {
        Console.WriteLine("  " + world.Secrets.Aggregate(line, (text, secret) => text.Replace(secret, "***")));
    }

    Console.WriteLine($"-- the agent reads: result {run.Result}: {run.ResultMessage}");
    foreach (var variable in run.OutputVariables)
    {
        Console.WriteLine($"   output {variable.Name} = {variable.Value}");
    }

    Console.WriteLine();
    return run;
}

static string Indent(string text) =>
    string.Join(Environment.NewLine, text.TrimEnd().Split('\n').Select(l => "  " + l));
