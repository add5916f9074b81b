namespace ConfigureWorkloadIdentity.Binding;

/// <summary>The ids of the user-assigned identity as ARM reports them.</summary>
internal sealed record ObservedIdentity(string ClientId, string PrincipalId, string TenantId, string? Location);
