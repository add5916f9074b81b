using System.Runtime.InteropServices;
using System.Text;
using ConfigureWorkloadIdentity;
using ConfigureWorkloadIdentity.Pipelines;

// Composition root: task mode under the agent (no arguments, AGENT_VERSION set), CLI mode otherwise.
Console.OutputEncoding = new UTF8Encoding(false);
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

var environment = AgentEnvironment.FromProcess();
var taskMode = args.Length == 0 && environment.IsAgent;
try
{
    return taskMode
        ? await TaskMode.RunAsync(environment, Console.Out, cancellation.Token)
        : await CliMode.RunAsync(args, environment, Console.Out, Console.Error, cancellation.Token);
}
catch (Exception ex)
{
    // A defect, not a user error: say so plainly, keep the details for the debug log.
    IReporter reporter = taskMode
        ? new PipelineReporter(Console.Out, environment.IsDebug)
        : new ConsoleReporter(Console.Out, Console.Error, verbose: true);
    reporter.Debug(ex.ToString());
    Execution.Fail(reporter, $"Unexpected {ex.GetType().Name}: {ex.Message.TrimEnd('.')}. This is a defect in "
        + "Configure Workload Identity; please report it with the details "
        + (taskMode ? "of a run with System.Debug set to true." : "printed with -v."));
    return taskMode ? 0 : 1;
}
