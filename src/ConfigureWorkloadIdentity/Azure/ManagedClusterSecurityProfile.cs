using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The cluster's security profile, of which only workload identity matters here.</summary>
internal sealed record ManagedClusterSecurityProfile(
    [property: JsonPropertyName("workloadIdentity")] WorkloadIdentitySettings? WorkloadIdentity);
