using System.Text;
using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Benchmark;

/// <summary>
/// Requests one run made, per endpoint (method and path with names and ids replaced), beside the fewest a run can
/// make for one binding with the reference inputs (azureResourceManager cluster connection, verify on).
/// </summary>
internal static partial class RequestTally
{
    // The fewest requests per endpoint, first run / converged re-run, and why. Anything else is extra.
    private static readonly (string Endpoint, int First, int Rerun, string Why)[] Minimum =
    [
        ("POST /{tenant}/oauth2/v2.0/token", 2, 2,
            "one sign-in of the service connection, one exchange of the ServiceAccount token (verify)"),
        ("GET /subscriptions/{}/resourceGroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}",
            1, 1, "client id, principal id and tenant of the identity"),
        ("GET /subscriptions/{}/resourceGroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}"
            + "/federatedIdentityCredentials", 1, 1, "is there already a credential for this issuer and subject"),
        ("PUT /subscriptions/{}/resourceGroups/{}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{}"
            + "/federatedIdentityCredentials/{}", 1, 0, "create the credential (not when it exists)"),
        ("GET /subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerService/managedClusters/{}", 1, 1,
            "the cluster's OIDC issuer, verbatim"),
        ("POST /subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerService/managedClusters/{}"
            + "/listClusterUserCredential", 1, 1, "a kubeconfig to reach the cluster"),
        ("GET /api/v1/namespaces/{}", 1, 0,
            "does the namespace exist (a re-run that finds the ServiceAccount knows it does)"),
        ("POST /api/v1/namespaces", 1, 0, "create the missing namespace (the reference namespace is new)"),
        ("PATCH /api/v1/namespaces/{}/serviceaccounts/{}", 1, 0,
            "server-side apply; a re-run that read the ServiceAccount as desired needs none"),
        ("GET /api/v1/namespaces/{}/serviceaccounts/{}", 1, 1,
            "the ServiceAccount's current annotation and label (plan, what-if)"),
        ("POST /api/v1/namespaces/{}/serviceaccounts/{}/token", 1, 1, "a token to verify the trust (verify)"),
    ];

    /// <summary>The fewest requests of a first run and a re-run, in total.</summary>
    public static (int First, int Rerun) MinimumTotal =>
        (Minimum.Sum(m => m.First), Minimum.Sum(m => m.Rerun));

    /// <summary>
    /// The fewest requests of a converged re-run that grow with the bindings: the identity, its credentials, the
    /// ServiceAccount, and with verify the token request and its exchange (5; 3 with verify off). The rest, the
    /// sign-in, the cluster and its kubeconfig, one run shares among all its bindings.
    /// </summary>
    public const int MinimumRerunPerBinding = 5;

    /// <summary>Endpoints one run calls once whatever its number of bindings (per run or per cluster).</summary>
    public static bool IsPerRun(string endpoint) =>
        endpoint.EndsWith("/listClusterUserCredential", StringComparison.Ordinal)
        || endpoint.EndsWith("/managedClusters/{}", StringComparison.Ordinal)
        || endpoint.Contains("/mutatingwebhookconfigurations/", StringComparison.Ordinal);

    /// <summary>Requests per endpoint.</summary>
    public static Dictionary<string, int> Count(IEnumerable<RecordedRequest> requests) =>
        requests.GroupBy(r => Endpoint(r.Method, r.Path)).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The Markdown table of a first run and a re-run against the minimum, and the reasons.</summary>
    public static string Table(IReadOnlyDictionary<string, int> first, IReadOnlyDictionary<string, int> rerun)
    {
        var endpoints = Minimum.Select(m => m.Endpoint).Concat(first.Keys).Concat(rerun.Keys)
            .Distinct(StringComparer.Ordinal).ToList();
        var text = new StringBuilder(
            "| Endpoint | First run | Minimum | Re-run | Minimum | Why the minimum |\n"
            + "| --- | ---: | ---: | ---: | ---: | --- |\n");
        foreach (var endpoint in endpoints)
        {
            var minimum = Minimum.FirstOrDefault(m => m.Endpoint == endpoint);
            var why = minimum.Endpoint is not null ? minimum.Why
                : RequestTally.IsPerRun(endpoint) ? "a check of the cluster, once per run; not needed for the binding"
                : "not needed for the binding";
            text.Append($"| `{endpoint}` | {first.GetValueOrDefault(endpoint)} | {minimum.First} "
                + $"| {rerun.GetValueOrDefault(endpoint)} | {minimum.Rerun} | {BenchmarkReport.Cell(why)} |\n");
        }

        text.Append($"| **total** | {first.Values.Sum()} | {MinimumTotal.First} | {rerun.Values.Sum()} "
            + $"| {MinimumTotal.Rerun} | |\n");
        return text.ToString();
    }

    /// <summary>Method and path with ids and names replaced by <c>{}</c> (a GUID tenant by <c>{tenant}</c>).</summary>
    public static string Endpoint(string method, string path)
    {
        var segments = path.Split('/');
        for (int i = 1; i < segments.Length; i++)
        {
            if (Collections().IsMatch(segments[i - 1]))
            {
                segments[i] = "{}";
            }
        }

        var joined = string.Join('/', segments);
        return $"{method} {Guid().Replace(joined, "/{tenant}")}";
    }

    [GeneratedRegex(
        "^(subscriptions|resourceGroups|userAssignedIdentities|federatedIdentityCredentials|managedClusters"
        + "|namespaces|serviceaccounts|deployments|statefulsets|daemonsets|jobs|cronjobs|pods"
        + "|mutatingwebhookconfigurations)$", RegexOptions.IgnoreCase)]
    private static partial Regex Collections();

    [GeneratedRegex("^/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=/)")]
    private static partial Regex Guid();
}
