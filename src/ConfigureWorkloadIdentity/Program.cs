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
return args.Length == 0 && environment.IsAgent
    ? await TaskMode.RunAsync(environment, Console.Out, cancellation.Token)
    : await CliMode.RunAsync(args, environment, Console.Out, Console.Error, cancellation.Token);
