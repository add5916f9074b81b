namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>What a pipeline job gives one step of the task: inputs, service connections, variables.</summary>
public sealed class AgentJob
{
    /// <summary>Step inputs by task.json name; inputs not given take their task.json default.</summary>
    public Dictionary<string, string> Inputs { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The job's service connections.</summary>
    public List<ServiceEndpoint> Endpoints { get; init; } = [];

    /// <summary>Public variables, e.g. <c>system.debug</c>; they override the harness defaults.</summary>
    public Dictionary<string, string> Variables { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Secret variables; they reach the task as <c>SECRET_&lt;NAME&gt;</c> and are masked.</summary>
    public Dictionary<string, string> SecretVariables { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The job access token, the SystemVssConnection AccessToken parameter.</summary>
    public string SystemAccessToken { get; init; } = "harness-system-access-token-" + Guid.NewGuid().ToString("N");

    /// <summary>The organisation URL (System.CollectionUri and the SystemVssConnection URL).</summary>
    public Uri CollectionUri { get; init; } = new("https://dev.azure.com/contoso/");

    /// <summary>
    /// Environment entries applied last, e.g. SSL_CERT_FILE for the emulators' CA; a null value removes the
    /// variable.
    /// </summary>
    public Dictionary<string, string?> Environment { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The step timeout; when it passes the step is canceled and fails, as the agent does.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// More secrets no output of the step may contain, read after the step ended (so tokens the emulators issued
    /// during the run count too), on top of those the agent masks from the start (secret variables, endpoint
    /// secrets, the job access token). See <see cref="AgentHarness.RunAsync"/>.
    /// </summary>
    public Func<IEnumerable<string>>? GuardedSecrets { get; init; }

    /// <summary>
    /// False only for tests of the harness itself whose stand-in binary prints secrets on purpose (to test the
    /// masking); every run of the task keeps the check.
    /// </summary>
    public bool CheckSecrets { get; init; } = true;

    /// <summary>Called with every output line as it arrives (e.g. to stream it to test output).</summary>
    public Action<string>? OnLine { get; init; }
}
