using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ConfigureWorkloadIdentity.Emulators.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ConfigureWorkloadIdentity.Emulators.AzureDevOps;

/// <summary>
/// The Azure DevOps side of workload identity federation: the job OIDC token API (distributedtask
/// <c>.../hubs/{hub}/plans/{plan}/jobs/{job}/oidctoken</c>), which checks the job access token and returns
/// <c>{"oidcToken": JWT}</c> for a service connection, with iss, sub sc://org/project/connection and aud
/// api://AzureADTokenExchange, living <see cref="TokenLifetime"/>. Register <see cref="Issuer"/> and
/// <see cref="Signer"/> with the Entra emulator so it trusts these tokens.
/// </summary>
public sealed class AzureDevOpsEmulator : EmulatorServer
{
    private static readonly string[] ApiVersions = ["7.1", "7.1-preview.1", "7.2-preview.1"];

    private readonly ConcurrentDictionary<string, byte> _jobTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, string> _connections = new();
    private readonly ConcurrentDictionary<string, string> _projects = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<IssuedOidcToken> _issued = new();
    private readonly bool _ownsSigner;

    /// <summary>
    /// Creates the emulator for one organization; the clock is shared with the Entra emulator. Pass a
    /// <paramref name="signer"/> to reuse a key (generating one is the slow part); the caller then disposes it.
    /// </summary>
    public AzureDevOpsEmulator(EmulatorClock clock, string organization = "contoso", JwtSigner? signer = null)
    {
        _ownsSigner = signer is null;
        Signer = signer ?? new JwtSigner("CN=Azure DevOps Emulator OIDC Signing");
        Clock = clock;
        Organization = organization;
        Issuer = $"https://vstoken.dev.azure.com/{OrganizationId}";
    }

    /// <summary>The organization name, the first segment of the collection URL and of the subject.</summary>
    public string Organization { get; }

    /// <summary>The organization id.</summary>
    public Guid OrganizationId { get; } = Guid.NewGuid();

    /// <summary>
    /// The <c>iss</c> of issued tokens: https://vstoken.dev.azure.com/&lt;organization id&gt; by default; set it to the
    /// Entra-issuer form (https://login.microsoftonline.com/&lt;tenant&gt;/v2.0) to emulate converted connections.
    /// </summary>
    public string Issuer { get; set; }

    /// <summary>The key that signs OIDC tokens.</summary>
    public JwtSigner Signer { get; }

    /// <summary>The clock tokens are issued by.</summary>
    public EmulatorClock Clock { get; }

    /// <summary>How long an OIDC token lives (about ten minutes in Azure DevOps).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The collection URL (System.CollectionUri), with a trailing slash.</summary>
    public Uri CollectionUri => new(BaseUri, Organization + "/");

    /// <summary>Every OIDC token issued so far, in order.</summary>
    public IReadOnlyList<IssuedOidcToken> IssuedTokens => [.. _issued];

    /// <summary>The subject a connection's tokens carry: sc://org/project/connection.</summary>
    public string SubjectFor(string projectName, string connectionName) =>
        $"sc://{Organization}/{projectName}/{connectionName}";

    /// <summary>Accepts <paramref name="accessToken"/> as a running job's access token.</summary>
    public void AddJobToken(string accessToken) => _jobTokens[accessToken] = 0;

    /// <summary>Adds a project, known in URLs by id or name.</summary>
    public void AddProject(string projectId, string projectName)
    {
        _projects[projectId] = projectName;
        _projects[projectName] = projectName;
    }

    /// <summary>Adds a service connection tokens can be issued for.</summary>
    public void AddServiceConnection(Guid id, string name) => _connections[id] = name;

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsSigner)
        {
            Signer.Dispose();
        }
    }

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app) =>
        app.MapPost(
            "/{organization}/{project}/_apis/distributedtask/hubs/{hub}/plans/{plan}/jobs/{job}/oidctoken",
            (HttpContext context, string organization, string project, string hub) =>
                HandleOidcTokenAsync(context, organization, project, hub));

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers["ActivityId"] = Guid.NewGuid().ToString();
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    // The wrapped-exception shape Azure DevOps answers errors with.
    private static JsonObject Error(string message, string typeKey) => new()
    {
        ["$id"] = "1",
        ["innerException"] = null,
        ["message"] = message,
        ["typeName"] = $"Microsoft.TeamFoundation.DistributedTask.WebApi.{typeKey}, "
            + "Microsoft.TeamFoundation.DistributedTask.WebApi",
        ["typeKey"] = typeKey,
        ["errorCode"] = 0,
        ["eventId"] = 3000,
    };

    private Task HandleOidcTokenAsync(HttpContext context, string organization, string project, string hub)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization["Bearer ".Length..].Trim()
            : null;
        if (token is null || !_jobTokens.ContainsKey(token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return WriteAsync(context, 401, Error(
                "TF400813: The user '' is not authorized to access this resource.", "UnauthorizedRequestException"));
        }

        var apiVersion = request.Query["api-version"].ToString();
        if (!ApiVersions.Contains(apiVersion, StringComparer.Ordinal))
        {
            return WriteAsync(context, 400, Error(
                $"The requested REST API version of {apiVersion} is not supported; use one of "
                + string.Join(", ", ApiVersions) + ".",
                "VssVersionNotSupportedException"));
        }

        if (!string.Equals(organization, Organization, StringComparison.OrdinalIgnoreCase)
            || !_projects.TryGetValue(project, out var projectName)
            || hub is not ("build" or "release"))
        {
            return WriteAsync(context, 404, Error(
                $"The plan in project '{project}' (hub '{hub}') does not exist.",
                "TaskOrchestrationPlanNotFoundException"));
        }

        if (!Guid.TryParse(request.Query["serviceConnectionId"].ToString(), out var connectionId)
            || !_connections.TryGetValue(connectionId, out var connectionName))
        {
            // Emulator wording: the real message for an unknown or unauthorized connection is not in the references.
            return WriteAsync(context, 400, Error(
                $"Service connection '{request.Query["serviceConnectionId"]}' was not found or the pipeline is not "
                + "authorized to use it.",
                "TaskOrchestrationPlanSecurityException"));
        }

        var now = Clock.UtcNow;
        var expires = now + TokenLifetime;
        var subject = SubjectFor(projectName, connectionName);
        var jwt = Signer.Sign(new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString(),
            ["sub"] = subject,
            ["aud"] = "api://AzureADTokenExchange",
            ["iss"] = Issuer,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["ac"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)),
        });
        _issued.Enqueue(new IssuedOidcToken(jwt, connectionId, subject, now, expires));
        return WriteAsync(context, 200, new JsonObject { ["oidcToken"] = jwt });
    }
}
