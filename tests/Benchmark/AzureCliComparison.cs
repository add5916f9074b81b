using System.Diagnostics;
using System.Text;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Benchmark;

/// <summary>
/// The single binding done the way users do it today, with the Azure CLI and kubectl, against the same emulators:
/// <c>az login</c>, <c>az identity show</c>, <c>az aks show</c>, <c>az identity federated-credential create</c>,
/// <c>kubectl apply</c>. The CLI is pointed at the loopback cloud as an AD FS authority (the only way MSAL accepts a
/// loopback authority without instance discovery at login.microsoftonline.com); a dead proxy for everything but
/// loopback makes sure nothing leaves the machine.
/// </summary>
internal sealed class AzureCliComparison(int runs, TextWriter log)
{
    private const string Measure = "Same binding the Azure CLI way (az login, az identity show, az aks show, "
        + "az identity federated-credential create, kubectl apply)";

    private const string Goal = "the task at least 10 times faster";

    /// <summary>The comparison row and a section with each command's median.</summary>
    public async Task<(ReportRow Row, string Section)> CompareAsync(double taskMs, CancellationToken ct)
    {
        var az = FindOnPath("az");
        if (az is null)
        {
            const string Why = "the Azure CLI (az) is not installed; on Debian `apt-get install azure-cli`";
            return (ReportRow.NotMeasured(Measure, Goal, Why), "Skipped: " + Why + ".");
        }

        if (double.IsNaN(taskMs))
        {
            return (ReportRow.NotMeasured(Measure, Goal, "the task's own single binding was not measured"), "");
        }

        var perCommand = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var totals = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            var (total, steps, error) = await RunOnceAsync(az, ct);
            if (error is not null)
            {
                return (ReportRow.NotMeasured(Measure, Goal, error), "Failed: " + error);
            }

            totals.Add(total);
            foreach (var (name, ms) in steps)
            {
                (perCommand.TryGetValue(name, out var list) ? list : perCommand[name] = []).Add(ms);
            }

            log.WriteLine($"  the Azure CLI way: {BenchmarkReport.Ms(total)}");
        }

        var median = BenchmarkReport.Median(totals);
        var ratio = median / taskMs;
        var section = new StringBuilder("| Command | Median |\n| --- | ---: |\n");
        foreach (var (name, times) in perCommand)
        {
            var commandMedian = BenchmarkReport.Ms(BenchmarkReport.Median(times));
            section.Append($"| `{BenchmarkReport.Cell(name)}` | {commandMedian} |\n");
        }

        section.Append($"| **total** | {BenchmarkReport.Ms(median)} |\n")
            .Append($"| the task (one binding, 0 ms) | {BenchmarkReport.Ms(taskMs)} |\n\n")
            .Append("The task does more in its time: it checks the cluster (OIDC issuer, webhook), the identity's ")
            .Append("room for credentials, and verifies the trust by a token exchange. The CLI's one-time ")
            .Append("`az cloud register` and `az cloud set` are not counted; kubectl (with `--validate=false`, as the ")
            .Append("emulator serves no OpenAPI document) uses the emulated cluster's ")
            .Append("kubeconfig (the task fetches its own through listClusterUserCredential, and that is counted).\n");
        return (new ReportRow(Measure,
            $"{BenchmarkReport.Ms(median)} (median of {runs}), {ratio:0.0} times the task's "
            + BenchmarkReport.Ms(taskMs),
            Goal, ratio >= 10), section.ToString());
    }

    private static async Task<(double Total, List<(string, double)> Steps, string? Error)> RunOnceAsync(
        string az,
        CancellationToken ct)
    {
        await using var world = await EmulatedWorld.StartAsync(cancellationToken: ct);
        var s = world.Scenario;
        var folder = Directory.CreateTempSubdirectory("cwi-bench-az-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["AZURE_CONFIG_DIR"] = Path.Combine(folder, "azure"),
                ["REQUESTS_CA_BUNDLE"] = world.Ca.CaPemPath,
                ["AZURE_CORE_COLLECT_TELEMETRY"] = "false",
                ["AZURE_CORE_NO_COLOR"] = "true",
                ["HTTPS_PROXY"] = "http://127.0.0.1:9",
                ["HTTP_PROXY"] = "http://127.0.0.1:9",
                ["NO_PROXY"] = "127.0.0.1,localhost",
                ["KUBECONFIG"] = world.KubeconfigPath,
                ["HOME"] = folder,
            };
            var arm = world.Azure.BaseUri.ToString();
            string[][] setup =
            [
                [az, "cloud", "register", "-n", "Emulated", "--endpoint-resource-manager", arm,
                    "--endpoint-active-directory", arm + "adfs",
                    "--endpoint-active-directory-resource-id", "https://management.core.windows.net/",
                    "--endpoint-active-directory-graph-resource-id", "https://graph.windows.net/"],
                [az, "cloud", "set", "-n", "Emulated"],
            ];
            foreach (var command in setup)
            {
                var (code, _, stderr, _) = await RunAsync(command, environment, ct);
                if (code != 0)
                {
                    return (0, [], $"`az {command[1]} {command[2]}` failed: {FirstLine(stderr)}");
                }
            }

            var manifest = Path.Combine(folder, "serviceaccount.yaml");
            File.WriteAllText(manifest, $"""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: {s.Namespace}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata:
                  name: {s.ServiceAccountName}
                  namespace: {s.Namespace}
                  annotations:
                    azure.workload.identity/client-id: {s.ClientId}
                  labels:
                    azure.workload.identity/use: "true"
                """);
            string[][] binding =
            [
                [az, "login", "--service-principal", "-u", s.ServicePrincipalId, "-p", world.ClientSecret,
                    "--tenant", s.TenantId, "-o", "none"],
                [az, "identity", "show", "-g", s.IdentityResourceGroup, "-n", s.IdentityName,
                    "--query", "clientId", "-o", "tsv"],
                [az, "aks", "show", "-g", s.ClusterResourceGroup, "-n", s.ClusterName,
                    "--query", "oidcIssuerProfile.issuerUrl", "-o", "tsv"],
                [az, "identity", "federated-credential", "create", "--name", s.FederatedCredentialName,
                    "--identity-name", s.IdentityName, "-g", s.IdentityResourceGroup, "--issuer", s.IssuerUrl,
                    "--subject", s.Subject, "-o", "none"],
                // The emulated API server serves no OpenAPI document for kubectl's client-side validation.
                ["kubectl", "apply", "--validate=false", "-f", manifest],
            ];
            var steps = new List<(string, double)>();
            double total = 0;
            foreach (var command in binding)
            {
                var (code, _, stderr, ms) = await RunAsync(command, environment, ct);
                var name = Path.GetFileName(command[0]) + " " + string.Join(' ', command.Skip(1).Take(2));
                if (code != 0)
                {
                    // The secret is an argument, never echoed: stderr is az's own message.
                    return (0, [], $"`{name}` failed: {FirstLine(stderr).Replace(world.ClientSecret, "***")}");
                }

                steps.Add((name, ms));
                total += ms;
            }

            var credential = world.Azure.State.GetFederatedCredentials(
                s.SubscriptionId, s.IdentityResourceGroup, s.IdentityName).SingleOrDefault();
            return credential?.Subject == s.Subject
                ? (total, steps, null)
                : (0, [], "the Azure CLI commands succeeded but no federated credential was created");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr, double Ms)> RunAsync(
        string[] command,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken ct)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var ms = watch.Elapsed.TotalMilliseconds;
        return (process.ExitCode, await stdout, await stderr, ms);
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => l.StartsWith("ERROR", StringComparison.Ordinal))
        ?? text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "no output";

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
