using System.Collections;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// The environment the agent gave the task, read once. Names follow the agent's rules: '.' and ' ' become '_',
/// upper-case (Linux environment names are case-sensitive).
/// </summary>
internal sealed class AgentEnvironment(IReadOnlyDictionary<string, string> variables)
{
    /// <summary>A snapshot of this process's environment.</summary>
    public static AgentEnvironment FromProcess()
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            all[(string)entry.Key] = entry.Value as string ?? "";
        }

        return new AgentEnvironment(all);
    }

    /// <summary>True when the process runs as a pipeline task: the agent sets AGENT_VERSION for every step.</summary>
    public bool IsAgent => Get("AGENT_VERSION") is not null;

    /// <summary>True when the pipeline runs with System.Debug.</summary>
    public bool IsDebug => string.Equals(Get("SYSTEM_DEBUG"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A variable's value, or null when it is not set.</summary>
    public string? Get(string name) => variables.TryGetValue(name, out var value) ? value : null;

    /// <summary>The value of task input <paramref name="name"/> (INPUT_NAME), or null.</summary>
    public string? Input(string name) => Get("INPUT_" + Normalize(name));

    /// <summary>An endpoint auth parameter (ENDPOINT_AUTH_PARAMETER_ID_KEY), or null.</summary>
    public string? EndpointAuthParameter(string endpointId, string key) =>
        Get($"ENDPOINT_AUTH_PARAMETER_{endpointId}_{Normalize(key)}");

    /// <summary>An endpoint data value (ENDPOINT_DATA_ID_KEY), or null.</summary>
    public string? EndpointData(string endpointId, string key) => Get($"ENDPOINT_DATA_{endpointId}_{Normalize(key)}");

    /// <summary>The endpoint's auth scheme (ENDPOINT_AUTH_SCHEME_ID), or null.</summary>
    public string? EndpointScheme(string endpointId) => Get($"ENDPOINT_AUTH_SCHEME_{endpointId}");

    /// <summary>The endpoint's URL (ENDPOINT_URL_ID), or null.</summary>
    public string? EndpointUrl(string endpointId) => Get($"ENDPOINT_URL_{endpointId}");

    private static string Normalize(string name) =>
        name.Replace('.', '_').Replace(' ', '_').ToUpperInvariant();
}
