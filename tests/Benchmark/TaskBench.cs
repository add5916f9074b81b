using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Agent;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Benchmark;

/// <summary>
/// The task's measurements: each run is the real shim and binary through <see cref="AgentHarness"/> against a
/// fresh emulated world, so every run is a first run unless it says re-run.
/// </summary>
internal sealed class TaskBench(string binary, int runs, TextWriter log)
{
    // A framework-dependent build (the apphost beside its dll) is installed as a folder, a published binary alone.
    private readonly AgentHarness _harness = new(RepositoryLayout.TaskFolder,
        File.Exists(Path.ChangeExtension(binary, ".dll")) ? Path.GetDirectoryName(binary)! : binary);

    /// <summary>From starting the binary (task mode, no inputs) to its first line, median of <paramref name="count"/>.
    /// </summary>
    public ReportRow ColdStart(int count)
    {
        var times = new List<double>();
        for (int i = 0; i <= count; i++)
        {
            var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, UseShellExecute = false };
            start.Environment["AGENT_VERSION"] = "4.264.2";
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var first = process.StandardOutput.ReadLine();
            var elapsed = watch.Elapsed.TotalMilliseconds;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (first is null)
            {
                return ReportRow.NotMeasured("Cold start", "at most 100 ms", "the binary printed nothing");
            }

            if (i > 0)
            {
                times.Add(elapsed); // the first run warms the file cache
            }
        }

        var median = BenchmarkReport.Median(times);
        return new ReportRow($"Cold start: binary to its first line (median of {count})",
            $"{BenchmarkReport.Ms(median)} (min {BenchmarkReport.Ms(times.Min())}, max "
            + $"{BenchmarkReport.Ms(times.Max())})", "at most 100 ms", median <= 100);
    }

    /// <summary>One binding end to end with <paramref name="latency"/> injected into every emulated request.</summary>
    public async Task<(ReportRow Row, double MedianMs)> SingleBindingAsync(TimeSpan latency, CancellationToken ct)
    {
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            await using var world = await EmulatedWorld.StartAsync(cancellationToken: ct);
            if (latency > TimeSpan.Zero)
            {
                foreach (EmulatorServer server in new EmulatorServer[] { world.Azure, world.Kubernetes })
                {
                    server.InjectFault(new FaultRule { PathPattern = ".", Kind = FaultKind.Latency, Delay = latency });
                }
            }

            using var run = await _harness.RunAsync(world.CreateJob(), ct);
            if (run.Result != TaskResult.Succeeded)
            {
                return (ReportRow.NotMeasured(Title(latency), Goal(latency), FirstError(run)), double.NaN);
            }

            times.Add(run.Duration.TotalMilliseconds);
            log.WriteLine($"  single binding, {latency.TotalMilliseconds} ms latency: "
                + BenchmarkReport.Ms(run.Duration.TotalMilliseconds));
        }

        var median = BenchmarkReport.Median(times);
        bool? met = latency == TimeSpan.Zero ? median < 500 : null;
        return (new ReportRow(Title(latency), $"{BenchmarkReport.Ms(median)} (median of {runs})", Goal(latency), met),
            median);

        static string Title(TimeSpan latency) =>
            $"One binding end to end, {latency.TotalMilliseconds} ms per request (node, shim, binary)";

        static string Goal(TimeSpan latency) => latency == TimeSpan.Zero ? "under 0.5 s" : "";
    }

    /// <summary>Requests of a first run and a converged re-run, per endpoint, against the minimum.</summary>
    public async Task<(ReportRow First, ReportRow Rerun, string Table)> RequestsAsync(CancellationToken ct)
    {
        await using var world = await EmulatedWorld.StartAsync(cancellationToken: ct);
        using var first = await _harness.RunAsync(world.CreateJob(), ct);
        var firstCounts = RequestTally.Count([.. world.Azure.Requests, .. world.ApiServerRequests]);
        world.Azure.ClearRequests();
        world.Kubernetes.ClearRequests();
        using var rerun = await _harness.RunAsync(world.CreateJob(), ct);
        var rerunCounts = RequestTally.Count([.. world.Azure.Requests, .. world.ApiServerRequests]);
        if (first.Result != TaskResult.Succeeded || rerun.Result != TaskResult.Succeeded)
        {
            var why = FirstError(first.Result != TaskResult.Succeeded ? first : rerun);
            return (ReportRow.NotMeasured("Requests, first run", "", why),
                ReportRow.NotMeasured("Requests, converged re-run", "at most 4 per binding", why), "");
        }

        var (minFirst, minRerun) = RequestTally.MinimumTotal;
        int made = rerunCounts.Values.Sum();

        // The sign-in, the cluster and its kubeconfig serve every binding of a run; the goal counts what one
        // binding adds. One token request is the sign-in; any other is the verification's exchange.
        int shared = (rerunCounts.GetValueOrDefault("POST /{tenant}/oauth2/v2.0/token") > 0 ? 1 : 0)
            + rerunCounts.Where(c => RequestTally.IsPerRun(c.Key)).Sum(c => c.Value);
        int perBinding = made - shared;
        return (
            new ReportRow("Requests, first run (one binding)", $"{firstCounts.Values.Sum()} (minimum {minFirst})",
                "", null),
            new ReportRow("Requests, converged re-run (one binding)",
                $"{made} (minimum {minRerun}); {perBinding} grow with the bindings, besides sign-in, cluster and "
                + $"kubeconfig (minimum {RequestTally.MinimumRerunPerBinding} with verify, 3 without)",
                "at most 4 per binding", perBinding <= 4),
            RequestTally.Table(firstCounts, rerunCounts));
    }

    /// <summary>
    /// Peak resident memory of the task's process: GNU time's maxrss (the kernel's accounting of the child, from
    /// wait4), with a wrapper that execs /usr/bin/time on the binary in place of the binary.
    /// </summary>
    public async Task<ReportRow> PeakMemoryAsync(CancellationToken ct)
    {
        const string Measure = "Peak memory of the task process (maxrss, one binding)";
        const string Goal = "at most 100 MB";
        if (!File.Exists("/usr/bin/time") || !File.Exists("/usr/bin/python3"))
        {
            return ReportRow.NotMeasured(Measure, Goal, "GNU time (/usr/bin/time) or python3 is not installed");
        }

        var folder = Directory.CreateTempSubdirectory("cwi-bench-rss-").FullName;
        try
        {
            var rssFile = Path.Combine(folder, "maxrss");
            // Not a shell script: dash drops variables such as ENDPOINT_AUTH_<guid> whose names are no identifiers.
            File.WriteAllText(Path.Combine(folder, "ConfigureWorkloadIdentity"),
                "#!/usr/bin/python3\nimport os, sys\n"
                + $"os.execv('/usr/bin/time', ['time', '-f', '%M', '-o', '{rssFile}', '{Path.GetFullPath(binary)}']"
                + " + sys.argv[1:])\n");
            var harness = new AgentHarness(RepositoryLayout.TaskFolder, folder);
            await using var world = await EmulatedWorld.StartAsync(cancellationToken: ct);
            using var run = await harness.RunAsync(world.CreateJob(), ct);
            if (run.Result != TaskResult.Succeeded || !File.Exists(rssFile))
            {
                return ReportRow.NotMeasured(Measure, Goal, FirstError(run));
            }

            var kib = long.Parse(File.ReadAllLines(rssFile).Last(l => l.Length > 0).Trim(),
                CultureInfo.InvariantCulture);
            var mb = kib * 1024 / 1_000_000.0;
            return new ReportRow(Measure, $"{mb:0.0} MB ({kib / 1024.0:0.0} MiB)", Goal, mb <= 100);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// <paramref name="bindings"/> bindings spread over <paramref name="identities"/> identities in one step,
    /// through the <c>workloads</c> input (a YAML list), at 0 ms latency.
    /// </summary>
    public async Task<ReportRow> ScaleAsync(int bindings, int identities, CancellationToken ct)
    {
        var measure = $"{bindings} binding(s) over {identities} identit{(identities == 1 ? "y" : "ies")}, one step";
        var goal = bindings == 50 && identities == 10 ? "under 5 s" : "";
        if (bindings < identities)
        {
            return new ReportRow(measure, "not applicable: fewer bindings than identities", goal, null);
        }

        if ((bindings + identities - 1) / identities > 20)
        {
            // Entra ID's limit, which the emulator enforces too.
            return new ReportRow(measure,
                "not possible: an identity holds at most 20 federated credentials", goal, null);
        }

        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            await using var world = await EmulatedWorld.StartAsync(cancellationToken: ct);
            var job = world.CreateJob();
            var yaml = SeedWorkloads(world, bindings, identities);
            foreach (var name in new[] { "identityName", "namespace", "serviceAccountName", "federatedCredentialName" })
            {
                job.Inputs.Remove(name);
            }

            if (DeclaresInput("workloads"))
            {
                job.Inputs["workloads"] = yaml;
            }
            else
            {
                // task.json has no such input yet; the harness refuses undeclared inputs, the agent would not pass
                // them. Set the variable directly so the task's own answer is what the report shows.
                job.Environment["INPUT_WORKLOADS"] = yaml;
            }

            using var run = await _harness.RunAsync(job, ct);
            var made = Enumerable.Range(0, identities).Sum(n => world.Azure.State.GetFederatedCredentials(
                world.Scenario.SubscriptionId, world.Scenario.IdentityResourceGroup, $"mi-bench-{n:00}").Count);
            if (run.Result != TaskResult.Succeeded || made != bindings)
            {
                var why = run.Result == TaskResult.Succeeded
                    ? $"the step succeeded but made {made} federated credential(s), not {bindings} "
                        + "(is `workloads` read?)"
                    : FirstError(run);
                return ReportRow.NotMeasured(measure, goal, why);
            }

            times.Add(run.Duration.TotalMilliseconds);
        }

        var median = BenchmarkReport.Median(times);
        bool? met = goal.Length > 0 ? median < 5000 : null;
        return new ReportRow(measure, $"{BenchmarkReport.Ms(median)} (median of {runs})", goal, met);
    }

    private static bool DeclaresInput(string name)
    {
        var task = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.TaskFolder, "task.json")))!;
        return task["inputs"]!.AsArray().Any(input =>
            string.Equals((string?)input!["name"], name, StringComparison.OrdinalIgnoreCase));
    }

    private static string SeedWorkloads(EmulatedWorld world, int bindings, int identities)
    {
        var s = world.Scenario;
        var yaml = new StringBuilder();
        for (int i = 0; i < identities; i++)
        {
            world.Azure.State.AddIdentity(s.SubscriptionId, s.IdentityResourceGroup, $"mi-bench-{i:00}", s.Location,
                System.Guid.NewGuid().ToString(), System.Guid.NewGuid().ToString(), s.TenantId);
        }

        for (int i = 0; i < bindings; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"- namespace: bench-ns-{i % 5}\n")
                .Append(CultureInfo.InvariantCulture, $"  serviceAccountName: bench-sa-{i:00}\n")
                .Append(CultureInfo.InvariantCulture, $"  identityName: mi-bench-{i % identities:00}\n");
        }

        return yaml.ToString();
    }

    /// <summary>The first error the step reported, or its result message.</summary>
    public static string FirstError(TaskRun run) =>
        run.Errors.Select(e => e.Message).FirstOrDefault() ?? run.ResultMessage ?? $"the step ended {run.Result}";
}
