using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>Whether the AKS workload identity add-on (the mutating webhook) is enabled.</summary>
internal sealed record WorkloadIdentitySettings([property: JsonPropertyName("enabled")] bool? Enabled);
