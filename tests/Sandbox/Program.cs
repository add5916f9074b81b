using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Scenario;

// The README's main command: the task on the reference scenario against emulated Azure and AKS, run twice
// through the real Node shim as the agent runs it, then what the emulated world holds.
// Options choose the path: --connection spn-secret|spn-certificate|workload-identity-federation|managed-identity,
// --cluster-connection azure-resource-manager|kubernetes-service-connection|kubeconfig,
// --cloud AzureCloud|AzureUSGovernment|AzureChinaCloud, --entra-cluster (Entra ID, local accounts disabled).
// --workloads runs one step with five bindings over two identities with role assignments, again (nothing
// changes), then with action remove.
var workloadsMode = args.Contains("--workloads");
args = [.. args.Where(a => a != "--workloads")];
if (ParseOptions(args) is not { } options)
{
    Console.Error.WriteLine("Usage: dotnet run --project tests/Sandbox -- [--connection spn-secret|spn-certificate|"
        + "workload-identity-federation|managed-identity] [--cluster-connection azure-resource-manager|"
        + "kubernetes-service-connection|kubeconfig] [--cloud AzureCloud|AzureUSGovernment|AzureChinaCloud] "
        + "[--entra-cluster] [--workloads]");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

await using var world = await EmulatedWorld.StartAsync(options, cancellationToken: cancellation.Token);
var scenario = world.Scenario;
Console.WriteLine("Configure Workload Identity sandbox");
Console.WriteLine($"  Service connection: {options.Connection}; cluster through: {options.ClusterAccess}; "
    + $"cloud: {options.Cloud}{(options.EntraCluster ? "; Entra ID cluster, local accounts disabled" : "")}");
Console.WriteLine($"  Azure DevOps emulator (OIDC tokens):  {world.AzureDevOps.BaseUri}");
Console.WriteLine($"  Entra ID + Resource Manager emulator: {world.Azure.BaseUri}");
Console.WriteLine($"  Kubernetes API emulator:              {world.Kubernetes.BaseUri}");
Console.WriteLine(
    $"  Identity {scenario.IdentityName} (client id {scenario.ClientId}) in {scenario.IdentityResourceGroup}");
Console.WriteLine($"  Cluster {scenario.ClusterName}, issuer {scenario.IssuerUrl}");
Console.WriteLine($"  Binding {scenario.Subject}");
Console.WriteLine();

var harness = new AgentHarness(RepositoryLayout.TaskFolder, RepositoryLayout.BinaryFolder);
if (workloadsMode)
{
    return await WorkloadsDemo.RunAsync(world, harness, cancellation.Token);
}

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

static Task<TaskRun> RunAsync(string title, AgentHarness harness, EmulatedWorld world, CancellationToken ct) =>
    SandboxRun.RunAsync(title, harness, world, null, ct);

static WorldOptions? ParseOptions(string[] args)
{
    var options = new WorldOptions();
    for (var i = 0; i < args.Length; i++)
    {
        var value = i + 1 < args.Length ? args[i + 1] : null;
        switch (args[i])
        {
            case "--connection" when value is not null:
                ConnectionKind? connection = value switch
                {
                    "spn-secret" => ConnectionKind.SpnSecret,
                    "spn-certificate" => ConnectionKind.SpnCertificate,
                    "workload-identity-federation" => ConnectionKind.WorkloadIdentityFederation,
                    "managed-identity" => ConnectionKind.ManagedIdentity,
                    _ => null,
                };
                if (connection is null)
                {
                    return null;
                }

                options = options with { Connection = connection.Value };
                i++;
                break;
            case "--cluster-connection" when value is not null:
                ClusterAccess? access = value switch
                {
                    "azure-resource-manager" => ClusterAccess.AzureResourceManager,
                    "kubernetes-service-connection" => ClusterAccess.KubernetesServiceConnection,
                    "kubeconfig" => ClusterAccess.Kubeconfig,
                    _ => null,
                };
                if (access is null)
                {
                    return null;
                }

                options = options with { ClusterAccess = access.Value };
                i++;
                break;
            case "--cloud" when value is "AzureCloud" or "AzureUSGovernment" or "AzureChinaCloud":
                options = options with { Cloud = value };
                i++;
                break;
            case "--entra-cluster":
                options = options with { EntraCluster = true };
                break;
            default:
                return null;
        }
    }

    return options;
}

static string Indent(string text) =>
    string.Join(Environment.NewLine, text.TrimEnd().Split('\n').Select(l => "  " + l));
