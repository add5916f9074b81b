namespace ConfigureWorkloadIdentity.Binding;

/// <summary>How a missing identity is created (input <c>createIdentity</c>): where, and with which tags.</summary>
/// <param name="Location">The Azure region, or null for the AKS cluster's.</param>
/// <param name="Tags">Tags set on a created identity.</param>
internal sealed record IdentityCreation(string? Location, IReadOnlyDictionary<string, string> Tags);
