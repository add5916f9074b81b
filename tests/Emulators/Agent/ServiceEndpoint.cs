namespace ConfigureWorkloadIdentity.Emulators.Agent;

/// <summary>
/// A service connection the job carries; only those a connectedService input names reach the task.
/// </summary>
/// <param name="Id">The connection id, the value of the connectedService input.</param>
/// <param name="Url">The connection URL, e.g. https://management.azure.com/.</param>
/// <param name="Scheme">The authorization scheme, e.g. WorkloadIdentityFederation.</param>
/// <param name="AuthParameters">Authorization parameters, e.g. serviceprincipalid, tenantid.</param>
/// <param name="Data">Data entries, e.g. subscriptionId, environment.</param>
public sealed record ServiceEndpoint(
    Guid Id,
    Uri Url,
    string Scheme,
    IReadOnlyDictionary<string, string> AuthParameters,
    IReadOnlyDictionary<string, string>? Data = null);
