namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>A logging command the agent would reject: it throws inside the command and fails the step.</summary>
internal sealed class CommandRejectedException(string message) : Exception(message);
