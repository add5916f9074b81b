namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>One task.json input: its name, type (e.g. connectedService:AzureRM) and default value.</summary>
internal sealed record TaskInputDefinition(string Name, string Type, string DefaultValue)
{
    public bool IsConnectedService => Type.StartsWith("connectedService:", StringComparison.OrdinalIgnoreCase);
}
