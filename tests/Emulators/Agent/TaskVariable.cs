namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>A variable the task set with <c>task.setvariable</c>, in its final state.</summary>
/// <param name="Name">The name as the task wrote it.</param>
/// <param name="Value">The value, unmasked.</param>
/// <param name="IsSecret">Set with <c>issecret=true</c>.</param>
/// <param name="IsOutput">Set with <c>isoutput=true</c> or named in task.json <c>outputVariables</c>.</param>
/// <param name="IsReadOnly">Set with <c>isreadonly=true</c>.</param>
public sealed record TaskVariable(string Name, string Value, bool IsSecret, bool IsOutput, bool IsReadOnly);
