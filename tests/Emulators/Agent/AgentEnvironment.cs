using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// The environment the agent's Node handler gives a task: a minimal base, then inputs, endpoints and variables
/// in the handler's order (<c>Handler.cs</c>), then the job's own entries.
/// </summary>
internal sealed partial class AgentEnvironment
{
    private const string SystemVssConnection = "SYSTEMVSSCONNECTION";

    // Fixed ids, so a run is reproducible and tests can predict URLs built from them.
    internal const string ProjectId = "6f7e1a52-3c1d-4b8e-9f0a-2d4c6b8e0f13";
    internal const string ProjectName = "ConfigureWorkloadIdentity";
    private const string CollectionId = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";
    private const string PlanId = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    private const string JobId = "12f1170f-54f2-53f3-20dd-22fc7dff55f9";
    private const string TaskInstanceId = "5c8a2f0e-1d3b-4e6f-a7c9-b0d2e4f6a8c1";

    // Newtonsoft, the agent's serializer, leaves '+', '<', non-ASCII and the like unescaped.
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions IndentedJson = new(Json) { WriteIndented = true };

    // The agent's MaskingUtil list: every other authorization parameter is masked, serviceprincipalid included.
    private static readonly HashSet<string> NonSecretAuthParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "IdToken", "Role", "Scope", "TenantId", "IssuedAt", "ExpiresAt", "Audience", "AuthenticationType",
        "authorizationType", "AccessTokenType", "AccessTokenFetchingMethod", "UseWindowsSecurity", "Unsecured",
        "OAuthAccessTokenIsSupplied", "CompleteCallbackPayload", "AcceptUntrustedCertificates",
    };

    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly List<string> _secrets = [];

    private AgentEnvironment(IReadOnlyDictionary<string, string> publicVariables)
    {
        PublicVariables = publicVariables;
    }

    /// <summary>The environment variables, by name (case-sensitive, as on Linux).</summary>
    public IReadOnlyDictionary<string, string> Variables => _variables;

    /// <summary>The job's public variables after defaults and overrides.</summary>
    public IReadOnlyDictionary<string, string> PublicVariables { get; }

    /// <summary>Values the agent masks from the start.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    /// <summary>System.Debug.</summary>
    public bool SystemDebug =>
        PublicVariables.TryGetValue("system.debug", out var debug) && bool.TryParse(debug, out var on) && on;

    /// <summary>Builds the environment for one step.</summary>
    public static AgentEnvironment Create(TaskDefinition task, AgentJob job, AgentLayout layout)
    {
        var publicVariables = new Dictionary<string, string>(DefaultVariables(task, job, layout),
            StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in job.Variables)
        {
            publicVariables[name] = value;
        }

        foreach (string name in job.SecretVariables.Keys)
        {
            publicVariables.Remove(name);
        }

        var environment = new AgentEnvironment(publicVariables);
        environment.AddBase(layout);
        var endpoints = environment.AddInputs(task, job, publicVariables);
        environment.AddEndpoints(job, endpoints);
        environment.AddVariables(publicVariables, job.SecretVariables);
        foreach (var (name, value) in job.Environment)
        {
            if (value is null)
            {
                environment._variables.Remove(name);
            }
            else
            {
                environment._variables[name] = value;
            }
        }

        return environment;
    }

    /// <summary><c>VarUtil.ConvertToEnvVariableFormat</c>: '.' and ' ' become '_', then upper case.</summary>
    public static string ToEnvironmentName(string name) =>
        name.Replace('.', '_').Replace(' ', '_').ToUpperInvariant();

    /// <summary>Whether the agent masks an endpoint authorization parameter (<c>MaskingUtil</c>).</summary>
    public static bool IsSecretAuthParameter(string key) => !NonSecretAuthParameters.Contains(key);

    private void AddBase(AgentLayout layout)
    {
        _variables["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        _variables["HOME"] = layout.HomeDirectory;
        _variables["LANG"] = Environment.GetEnvironmentVariable("LANG") ?? "C.UTF-8";
        _variables["TMPDIR"] = layout.TempDirectory;

        // A framework-dependent apphost finds the runtime only through DOTNET_ROOT or the default install folders.
        string? dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT")
            ?? Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        if (Directory.Exists(dotnetRoot))
        {
            _variables["DOTNET_ROOT"] = dotnetRoot;
        }
    }

    private List<ServiceEndpoint> AddInputs(
        TaskDefinition task,
        AgentJob job,
        IReadOnlyDictionary<string, string> publicVariables)
    {
        var unknown = job.Inputs.Keys
            .Where(name => !task.Inputs.Any(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (unknown.Count > 0)
        {
            // The agent would pass them on, but a name task.json does not declare is a typo in a test.
            throw new ArgumentException($"task.json declares no input {string.Join(", ", unknown)}.", nameof(job));
        }

        var endpoints = new List<ServiceEndpoint>();
        foreach (var input in task.Inputs)
        {
            string raw = job.Inputs.TryGetValue(input.Name, out var given) ? given : input.DefaultValue;
            string value = ExpandMacros(raw.Trim(), publicVariables, job.SecretVariables);
            _variables["INPUT_" + ToEnvironmentName(input.Name)] = value;
            if (input.IsConnectedService)
            {
                endpoints.AddRange(ResolveEndpoints(input.Name, value, job.Endpoints));
            }
        }

        return endpoints;
    }

    private static IEnumerable<ServiceEndpoint> ResolveEndpoints(
        string inputName,
        string value,
        IReadOnlyList<ServiceEndpoint> endpoints)
    {
        const StringSplitOptions options = StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries;
        foreach (string part in value.Split(',', options))
        {
            var endpoint = Guid.TryParse(part, out var id) ? endpoints.FirstOrDefault(e => e.Id == id) : null;
            yield return endpoint ?? throw new ArgumentException(
                $"Input {inputName} names service connection '{part}', which the job does not carry.");
        }
    }

    private void AddEndpoints(AgentJob job, List<ServiceEndpoint> referenced)
    {
        foreach (var endpoint in referenced.DistinctBy(e => e.Id))
        {
            AddEndpoint(endpoint.Id.ToString("D"), endpoint.Url, endpoint.Scheme, endpoint.AuthParameters);
            var data = endpoint.Data ?? new Dictionary<string, string>();
            _variables[$"ENDPOINT_DATA_{endpoint.Id:D}"] = JsonSerializer.Serialize(data, Json);
            foreach (var (key, value) in data)
            {
                _variables[$"ENDPOINT_DATA_{endpoint.Id:D}_{ToEnvironmentName(key)}"] = value;
            }
        }

        AddEndpoint(
            SystemVssConnection,
            job.CollectionUri,
            "OAuth",
            new Dictionary<string, string> { ["AccessToken"] = job.SystemAccessToken });
    }

    private void AddEndpoint(string key, Uri url, string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        _variables["ENDPOINT_URL_" + key] = url.ToString();
        _variables["ENDPOINT_AUTH_" + key] = JsonSerializer.Serialize(new { parameters, scheme }, Json);
        _variables["ENDPOINT_AUTH_SCHEME_" + key] = scheme;
        foreach (var (name, value) in parameters)
        {
            _variables[$"ENDPOINT_AUTH_PARAMETER_{key}_{ToEnvironmentName(name)}"] = value;
            if (IsSecretAuthParameter(name))
            {
                _secrets.Add(value);
            }
        }
    }

    private void AddVariables(
        IReadOnlyDictionary<string, string> publicVariables,
        IReadOnlyDictionary<string, string> secretVariables)
    {
        foreach (var (name, value) in publicVariables)
        {
            // The agent also exports agent.jobstatus under its raw name.
            if (string.Equals(name, "agent.jobstatus", StringComparison.OrdinalIgnoreCase))
            {
                _variables[name] = value;
            }

            _variables[ToEnvironmentName(name)] = value;
        }

        _variables["VSTS_PUBLIC_VARIABLES"] = JsonSerializer.Serialize(publicVariables.Keys, IndentedJson);
        foreach (var (name, value) in secretVariables)
        {
            _variables["SECRET_" + ToEnvironmentName(name)] = value;
            _secrets.Add(value);
        }

        _variables["VSTS_SECRET_VARIABLES"] = JsonSerializer.Serialize(secretVariables.Keys, IndentedJson);
    }

    private static string ExpandMacros(
        string value,
        IReadOnlyDictionary<string, string> publicVariables,
        IReadOnlyDictionary<string, string> secretVariables) =>
        Macro().Replace(value, match =>
        {
            string name = match.Groups[1].Value;
            return publicVariables.TryGetValue(name, out var found) || secretVariables.TryGetValue(name, out found)
                ? found
                : match.Value;
        });

    private static Dictionary<string, string> DefaultVariables(TaskDefinition task, AgentJob job, AgentLayout layout)
    {
        string collection = job.CollectionUri.ToString();
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["system.collectionUri"] = collection,
            ["system.teamFoundationCollectionUri"] = collection,
            ["system.teamFoundationServerUri"] = collection,
            ["system.collectionId"] = CollectionId,
            ["system.teamProject"] = ProjectName,
            ["system.teamProjectId"] = ProjectId,
            ["system.planId"] = PlanId,
            ["system.jobId"] = JobId,
            ["system.hostType"] = "build",
            ["system.definitionId"] = "1",
            ["system.oidcRequestUri"] =
                $"{collection}{ProjectId}/_apis/distributedtask/hubs/build/plans/{PlanId}/jobs/{JobId}/oidctoken",
            ["system.defaultWorkingDirectory"] = layout.SourcesDirectory,
            ["system.debug"] = "false",
            ["system.taskInstanceId"] = TaskInstanceId,
            ["system.taskDisplayName"] = task.Name,
            ["system.taskInstanceName"] = task.Name,
            ["task.displayName"] = task.Name,
            ["agent.tempDirectory"] = layout.TempDirectory,
            ["agent.workFolder"] = layout.WorkFolder,
            ["agent.rootDirectory"] = layout.WorkFolder,
            ["agent.buildDirectory"] = layout.BuildDirectory,
            ["agent.homeDirectory"] = layout.AgentHomeDirectory,
            ["agent.toolsDirectory"] = Path.Combine(layout.WorkFolder, "_tool"),
            ["agent.os"] = AgentOs(),
            ["agent.osArchitecture"] = RuntimeInformation.OSArchitecture.ToString().ToUpperInvariant(),
            ["agent.version"] = "4.264.2",
            ["agent.name"] = "harness-agent",
            ["agent.machineName"] = Environment.MachineName,
            ["agent.id"] = "1",
            ["agent.jobName"] = "Job",
            ["agent.jobstatus"] = "Succeeded",
            ["build.buildId"] = "1",
            ["build.buildNumber"] = "20250101.1",
            ["build.definitionName"] = "ConfigureWorkloadIdentity",
            ["build.sourcesDirectory"] = layout.SourcesDirectory,
            ["build.artifactStagingDirectory"] = layout.StagingDirectory,
            ["build.binariesDirectory"] = layout.BinariesDirectory,
            ["TF_BUILD"] = "True",
        };
    }

    private static string AgentOs() =>
        OperatingSystem.IsWindows() ? "Windows_NT" : OperatingSystem.IsMacOS() ? "Darwin" : "Linux";

    [GeneratedRegex(@"\$\(([^)\s]+)\)")]
    private static partial Regex Macro();
}
