using System.Runtime.Versioning;
using ConfigureWorkloadIdentity.Emulators.Agent;
using Xunit;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Agent;

/// <summary>The task's run.js, run through the harness with a shell script standing in for the binary.</summary>
public sealed class NodeShimTests
{
    [Fact]
    public async Task RunJs_BinaryReportsSuccess_SucceedsWithoutShimMessages()
    {
        using var standIn = StandInBinary.Create("echo '##vso[task.complete result=Succeeded;]all good'");
        using var run = await standIn.Harness().RunAsync(new AgentJob());

        Assert.Equal(TaskResult.Succeeded, run.Result);
        Assert.Equal("all good", run.ResultMessage);
        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Issues);
    }

    [Fact]
    public async Task RunJs_NoBinaryForPlatform_FailsNamingPlatformAndShippedOnes()
    {
        using var standIn = StandInBinary.Create("exit 0");
        using var run = await standIn.Harness(rid: "win-arm64").RunAsync(new AgentJob());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(TaskResult.Failed, run.Result);
        Assert.Contains(AgentHarness.CurrentRid, run.ResultMessage, StringComparison.Ordinal);
        Assert.Contains("win-arm64", run.ResultMessage, StringComparison.Ordinal);
        var error = Assert.Single(run.Errors);
        Assert.False(error.RaisedByAgent);
        Assert.Empty(run.CommandFailures);
    }

    [Fact]
    public async Task RunJs_BinaryExitsNonZero_FailsNamingExitCode()
    {
        using var standIn = StandInBinary.Create("echo working\nexit 3");
        using var run = await standIn.Harness().RunAsync(new AgentJob());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(TaskResult.Failed, run.Result);
        Assert.Contains("exited with code 3", run.ResultMessage, StringComparison.Ordinal);
        Assert.Contains(run.Errors, e => e.Message.Contains("exited with code 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunJs_BinaryKilledBySignal_FailsNamingSignal()
    {
        using var standIn = StandInBinary.Create("kill -TERM $$");
        using var run = await standIn.Harness().RunAsync(new AgentJob());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(TaskResult.Failed, run.Result);
        Assert.Contains("SIGTERM", run.ResultMessage, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task RunJs_BinaryCopiedWithoutExecuteBit_StillRuns()
    {
        using var standIn = StandInBinary.Create("echo started\necho '##vso[task.complete result=Succeeded;]'");
        var harness = standIn.Harness();
        using var run = await harness.RunAsync(new AgentJob());

        // The harness installs every file without execute bits, as zip extraction does; only the shim's chmod
        // lets the script run at all.
        Assert.Contains("started", run.Lines);
        Assert.Equal(TaskResult.Succeeded, run.Result);
        var binaryMode = File.GetUnixFileMode(Path.Combine(run.TaskDirectory, "bin", harness.Rid,
            "ConfigureWorkloadIdentity"));
        const UnixFileMode rwxrxrx = (UnixFileMode)0b111_101_101; // the shim's chmod 0o755
        Assert.Equal(rwxrxrx, binaryMode);
        Assert.False(File.GetUnixFileMode(Path.Combine(run.TaskDirectory, "run.js")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task RunJs_OutputAndEnvironment_PassThroughUnchanged()
    {
        using var standIn = StandInBinary.Create(
            "echo \"in: $INPUT_NAMESPACE\"\n"
            + "echo \"auth: $ENDPOINT_AUTH_SYSTEMVSSCONNECTION\"\n"
            + "echo 'to stderr' >&2\n"
            + "echo '##vso[task.setvariable variable=clientId;]from-stderr' >&2\n"
            + "printf 'no newline at end'");
        using var run = await standIn.Harness().RunAsync(new AgentJob
        {
            Inputs = { ["namespace"] = "apps" },
            SystemAccessToken = "tok",
            CheckSecrets = false, // the stand-in prints the job token on purpose
        });

        Assert.Contains("in: apps", run.Lines);
        Assert.Contains("""auth: {"parameters":{"AccessToken":"tok"},"scheme":"OAuth"}""", run.Lines);
        Assert.Equal("to stderr\n##vso[task.setvariable variable=clientId;]from-stderr\n", run.Stderr);
        Assert.EndsWith("no newline at end\n", run.Stdout, StringComparison.Ordinal);
        var clientId = Assert.Single(run.OutputVariables);
        Assert.Equal(new TaskVariable("clientId", "from-stderr", false, true, false), clientId);
    }

    [Fact]
    public async Task RunAsync_Canceled_ForwardsSigintToBinary()
    {
        using var standIn = StandInBinary.Create(
            "trap 'echo got SIGINT; echo \"##vso[task.complete result=Canceled;]stopped\"; exit 0' INT\n"
            + "echo ready\nwhile true; do sleep 0.05; done");
        using var cancel = new CancellationTokenSource();
        using var run = await standIn.Harness().RunAsync(
            new AgentJob { OnLine = line => { if (line == "ready") cancel.Cancel(); } },
            cancel.Token);

        Assert.True(run.Canceled);
        Assert.Equal(TaskResult.Canceled, run.Result);
        Assert.Contains("got SIGINT", run.Lines);
        Assert.Equal("stopped", run.ResultMessage);
        Assert.Equal(0, run.ExitCode);
        Assert.True(run.Duration < TimeSpan.FromSeconds(2), $"took {run.Duration}");
    }

    [Fact]
    public async Task RunAsync_BinaryIgnoresSigintPastTimeout_KilledAndFailed()
    {
        using var standIn = StandInBinary.Create("trap '' INT\necho ready\nwhile true; do sleep 0.05; done");
        var harness = new AgentHarness(StandInBinary.TaskFolder, standIn.Folder)
        {
            CancellationGracePeriod = TimeSpan.FromMilliseconds(300),
        };
        using var run = await harness.RunAsync(new AgentJob { Timeout = TimeSpan.FromMilliseconds(800) });

        Assert.True(run.TimedOut);
        Assert.Equal(TaskResult.Failed, run.Result);
        Assert.Contains(run.Errors, e => e.Message == "The task has timed out.");
        Assert.Contains("ready", run.Lines);
    }
}
