using System.Runtime.InteropServices;

namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>Sends SIGINT, as the agent's process invoker does first when it cancels a step.</summary>
internal static class PosixSignal
{
    private const int SigInt = 2; // The same number on Linux and macOS.

    /// <summary>Sends SIGINT to one process (not its group: the agent signals node alone).</summary>
    public static bool TryInterrupt(int processId) =>
        !OperatingSystem.IsWindows() && NativeMethods.kill(processId, SigInt) == 0;

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int kill(int pid, int sig);
    }
}
