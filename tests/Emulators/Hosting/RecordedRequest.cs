namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>One request an emulator received, with the status it answered.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, unescaped as the server routed it.</param>
/// <param name="Query">The raw query string, with its leading '?', or empty.</param>
/// <param name="Headers">Request headers; names lower-case.</param>
/// <param name="Body">The request body as text.</param>
/// <param name="Status">The status code answered.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int Status)
{
    /// <summary>True for methods that change state.</summary>
    public bool IsWrite => Method is "PUT" or "POST" or "PATCH" or "DELETE";
}
