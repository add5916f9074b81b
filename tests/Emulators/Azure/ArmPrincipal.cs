namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>The caller ARM authenticated from its bearer token.</summary>
/// <param name="TenantId">The <c>tid</c> claim.</param>
/// <param name="ObjectId">The <c>oid</c> claim.</param>
/// <param name="ClientId">The <c>appid</c> (or <c>azp</c>) claim.</param>
/// <param name="Issuer">The <c>iss</c> claim.</param>
internal sealed record ArmPrincipal(string TenantId, string ObjectId, string ClientId, string Issuer);
