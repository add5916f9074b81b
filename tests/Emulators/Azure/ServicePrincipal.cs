using System.Security.Cryptography.X509Certificates;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>An application's service principal in one tenant, as the token endpoint knows it.</summary>
/// <param name="TenantId">The tenant (directory) id.</param>
/// <param name="ClientId">The application (client) id, <c>appid</c> in tokens.</param>
/// <param name="ObjectId">The service principal's object id, <c>oid</c> in tokens.</param>
/// <param name="Secret">The client secret value, or null when the app has none.</param>
public sealed record ServicePrincipal(string TenantId, string ClientId, string ObjectId, string? Secret)
{
    /// <summary>The certificates (public part) the app accepts client assertions signed with.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; init; } = [];

    /// <summary>The app registration's federated identity credentials.</summary>
    public IReadOnlyList<FederatedCredential> FederatedCredentials { get; init; } = [];
}
