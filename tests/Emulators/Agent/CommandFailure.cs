namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>A logging command the agent rejected; any such failure fails the step.</summary>
/// <param name="Line">The whole output line.</param>
/// <param name="Reason">Why the agent rejected it.</param>
public sealed record CommandFailure(string Line, string Reason);
