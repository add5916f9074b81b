using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The ARM CloudError envelope.</summary>
internal sealed record ArmErrorResponse([property: JsonPropertyName("error")] ArmErrorDetail? Error);
