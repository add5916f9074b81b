using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using ConfigureWorkloadIdentity.Benchmark;
using ConfigureWorkloadIdentity.Emulators.Scenario;

// build.ps1 benchmark runs this after packaging: every measurement of issue 7 into one Markdown report.
//   dotnet run --project tests/Benchmark -- --binary <published binary> [--vsix <file>] [--output out/benchmark.md]
//     [--runs 5] [--cold-start-runs 21]
var options = ParseArguments(args);
var binary = options.GetValueOrDefault("binary")
    ?? Path.Combine(RepositoryLayout.TaskFolder, "bin", "linux-x64", "ConfigureWorkloadIdentity");
if (!File.Exists(binary))
{
    Console.Error.WriteLine($"No binary at {binary}; run 'build.ps1 package' first or give --binary.");
    return 2;
}

var output = Path.GetFullPath(options.GetValueOrDefault("output") ?? Path.Combine("out", "benchmark.md"));
int runs = int.Parse(options.GetValueOrDefault("runs") ?? "5", CultureInfo.InvariantCulture);
int coldRuns = int.Parse(options.GetValueOrDefault("cold-start-runs") ?? "21", CultureInfo.InvariantCulture);
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
var ct = cancellation.Token;

var report = new BenchmarkReport();
var bench = new TaskBench(binary, runs, Console.Out);
Console.WriteLine("Benchmark: cold start");
report.Add(bench.ColdStart(coldRuns));
Console.WriteLine("Benchmark: one binding, 0 ms and 50 ms per request");
var (zero, taskMs) = await bench.SingleBindingAsync(TimeSpan.Zero, ct);
report.Add(zero);
report.Add((await bench.SingleBindingAsync(TimeSpan.FromMilliseconds(50), ct)).Row);
Console.WriteLine("Benchmark: requests per binding");
var (first, rerun, table) = await bench.RequestsAsync(ct);
report.Add(first);
report.Add(rerun);
Console.WriteLine("Benchmark: peak memory");
report.Add(await bench.PeakMemoryAsync(ct));
Console.WriteLine("Benchmark: package size");
report.Add(PackageSize(options.GetValueOrDefault("vsix")));
foreach (var (bindings, identities) in new[] { (1, 1), (10, 1), (50, 1), (1, 10), (10, 10), (50, 10) })
{
    Console.WriteLine($"Benchmark: {bindings} binding(s) over {identities} identities");
    report.Add(await bench.ScaleAsync(bindings, identities, ct));
}

Console.WriteLine("Benchmark: the Azure CLI way");
var (cliRow, cliSection) = await new AzureCliComparison(runs, Console.Out).CompareAsync(taskMs, ct);
report.Add(cliRow);
if (table.Length > 0)
{
    report.AddSection("Requests per endpoint (one binding, reference inputs, verify on)", table);
}

report.AddSection("The Azure CLI way", cliSection);
report.AddSection("How this was measured",
    """
    - Cold start: the published binary started directly in task mode (AGENT_VERSION set, no inputs), until its
      first line on stdout; the first start warms the file cache and is not counted.
    - End to end: `node run.js` from a fresh agent folder (the AgentHarness), the binary it starts, and every
      request to fresh emulators (Entra ID, Resource Manager, Kubernetes API over loopback HTTPS), until node exits.
      The 50 ms rows add 50 ms to every request the emulators answer (FaultRule Latency).
    - Requests: the emulators' request logs; the minimum per endpoint is the fewest a correct run can make with
      these inputs, reasoned in the table.
    - Peak memory: GNU time's maximum resident set size of the task's process (the kernel's accounting, from
      wait4), the binary started through a wrapper that execs /usr/bin/time; node is not counted.
    - Many bindings: one step with the `workloads` input (a YAML list of namespace, serviceAccountName and
      identityName), identities seeded in the emulated Azure, namespaces created by the task.
    """);

var markdown = report.ToMarkdown(
    $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores", DateTimeOffset.UtcNow);
Directory.CreateDirectory(Path.GetDirectoryName(output)!);
File.WriteAllText(output, markdown);
Console.WriteLine();
Console.WriteLine(markdown);
Console.WriteLine($"Written to {output}");
return 0;

static ReportRow PackageSize(string? vsix)
{
    const string Measure = "Package size (.vsix, every platform)";
    const string Goal = "at most 40 MiB";
    if (vsix is null || !File.Exists(vsix))
    {
        return ReportRow.NotMeasured(Measure, Goal, "no .vsix given (--vsix); run 'build.ps1 package' first");
    }

    using var zip = ZipFile.OpenRead(vsix);
    var perPlatform = zip.Entries
        .Where(e => e.FullName.Contains("/bin/", StringComparison.Ordinal))
        .GroupBy(e => e.FullName.Split("/bin/")[1].Split('/')[0])
        .Where(g => g.Key.Length > 0) // the folder entry bin/ itself
        .Select(g => $"{g.Key} {g.Sum(e => e.CompressedLength) / 1048576.0:0.0}")
        .Order(StringComparer.Ordinal);
    var total = new FileInfo(vsix).Length / 1048576.0;
    return new ReportRow(Measure,
        $"{total:0.0} MiB (packed MiB per platform: {string.Join(", ", perPlatform)})", Goal, total <= 40);
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }

    return options;
}
