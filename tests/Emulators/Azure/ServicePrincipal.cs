namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>An application's service principal in one tenant, as the token endpoint knows it.</summary>
/// <param name="TenantId">The tenant (directory) id.</param>
/// <param name="ClientId">The application (client) id, <c>appid</c> in tokens.</param>
/// <param name="ObjectId">The service principal's object id, <c>oid</c> in tokens.</param>
/// <param name="Secret">The client secret value, or null when the app has none.</param>
public sealed record ServicePrincipal(string TenantId, string ClientId, string ObjectId, string? Secret);
