using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Identity;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// Requests the job's OIDC token for a service connection from Azure DevOps when SYSTEM_OIDCREQUESTURI is not set:
/// POST {collection}{project}/_apis/distributedtask/hubs/{hub}/plans/{plan}/jobs/{job}/oidctoken, authorized with
/// the job access token. Each call asks anew: the token lives about ten minutes, so none is kept. A transient
/// failure (no answer, 408, 429, 5xx) is tried again as the in-box tasks do, <see cref="OidcRetry.Attempts"/> tries
/// <paramref name="retryDelay"/> apart; a refusal (401, 403, 404) is final at once.
/// </summary>
internal sealed class OidcTokenClient(
    Uri requestUri,
    string serviceConnectionId,
    string accessToken,
    Action<string> registerSecret,
    TimeSpan retryDelay,
    HttpClient? http = null)
{
    private const string ApiVersion = "7.1-preview.1";

    private static readonly HttpClient SharedHttp = new() { Timeout = TimeSpan.FromSeconds(60) };

    private readonly HttpClient _http = http ?? SharedHttp;

    /// <summary>The OIDC request URL from the pipeline variables, or null when one is missing.</summary>
    public static Uri? BuildUri(AgentEnvironment environment)
    {
        static string? Value(AgentEnvironment e, string name) =>
            string.IsNullOrWhiteSpace(e.Get(name)) ? null : e.Get(name)!.Trim();

        var collection = Value(environment, "SYSTEM_COLLECTIONURI")
            ?? Value(environment, "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI");
        var project = Value(environment, "SYSTEM_TEAMPROJECTID");
        var hub = Value(environment, "SYSTEM_HOSTTYPE");
        var plan = Value(environment, "SYSTEM_PLANID");
        var job = Value(environment, "SYSTEM_JOBID");
        if (collection is null || project is null || hub is null || plan is null || job is null
            || !Uri.TryCreate(collection.EndsWith('/') ? collection : collection + "/", UriKind.Absolute, out var root))
        {
            return null;
        }

        return new Uri(root, $"{Uri.EscapeDataString(project)}/_apis/distributedtask/hubs/"
            + $"{Uri.EscapeDataString(hub)}/plans/{Uri.EscapeDataString(plan)}/jobs/{Uri.EscapeDataString(job)}"
            + "/oidctoken");
    }

    /// <summary>Fetches a fresh OIDC token; registers it as a secret before returning it.</summary>
    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (token, failure, transient) = await TryGetTokenAsync(cancellationToken);
            if (token is not null)
            {
                registerSecret(token);
                return token;
            }

            if (!transient || attempt == OidcRetry.Attempts)
            {
                throw new AuthenticationFailedException(attempt == 1 ? failure! : $"{failure} (after {attempt} tries)");
            }

            await Task.Delay(retryDelay, cancellationToken);
        }
    }

    private async Task<(string? Token, string? Failure, bool Transient)> TryGetTokenAsync(
        CancellationToken cancellationToken)
    {
        var uri = new Uri($"{requestUri}?serviceConnectionId={Uri.EscapeDataString(serviceConnectionId)}"
            + $"&api-version={ApiVersion}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return (null, $"Could not request the pipeline's OIDC token from {requestUri}: {ex.Message}", true);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"Azure DevOps did not answer the OIDC token request to {requestUri} in time: "
                + ex.Message, true);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            string? token = null;
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("oidcToken", out var value)
                    && value.ValueKind == JsonValueKind.String)
                {
                    token = value.GetString();
                }
            }
            catch (JsonException)
            {
                // Not JSON (a sign-in page, a proxy's error): reported below with the status.
            }

            if (response.IsSuccessStatusCode && !string.IsNullOrEmpty(token))
            {
                return (token, null, false);
            }

            // The body of a failed answer holds no token, so it is safe to show (shortened).
            return (null, $"Azure DevOps did not issue the pipeline's OIDC token for service connection "
                + $"{serviceConnectionId}: HTTP {(int)response.StatusCode} from {requestUri}. "
                + (response.IsSuccessStatusCode ? "The answer held no oidcToken." : Shorten(body))
                + " Check that the pipeline is authorized to use the service connection.",
                OidcRetry.IsTransient((int)response.StatusCode));
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
