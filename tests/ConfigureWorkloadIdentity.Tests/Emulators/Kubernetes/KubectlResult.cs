namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>What a kubectl run printed and how it exited.</summary>
internal sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}
