namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>An authenticated request as the API handler sees it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="Query">Query parameters; repeated ones joined with commas.</param>
/// <param name="ContentType">The Content-Type header, or empty.</param>
/// <param name="UserAgent">The User-Agent header, or empty.</param>
/// <param name="Host">The Host header, for discovery's server address.</param>
/// <param name="Body">The body text.</param>
/// <param name="RawBody">The body bytes, for protobuf.</param>
/// <param name="User">The authenticated user name.</param>
internal sealed record KubernetesRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string[]> Query,
    string ContentType,
    string UserAgent,
    string Host,
    string Body,
    byte[] RawBody,
    string User)
{
    public string? QueryValue(string name) =>
        Query.TryGetValue(name, out var values) && values.Length > 0 ? values[0] : null;
}
