using System.Text.Json.Serialization;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>Source-generated JSON for the ARM models, so the executable needs no reflection (Native AOT).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserAssignedIdentity))]
[JsonSerializable(typeof(FederatedIdentityCredential))]
[JsonSerializable(typeof(FederatedIdentityCredentialPage))]
[JsonSerializable(typeof(FederatedIdentityCredentialBody))]
[JsonSerializable(typeof(ManagedCluster))]
[JsonSerializable(typeof(CredentialResults))]
[JsonSerializable(typeof(ArmErrorResponse))]
[JsonSerializable(typeof(UserAssignedIdentityBody))]
[JsonSerializable(typeof(RoleDefinition))]
[JsonSerializable(typeof(RoleDefinitionPage))]
[JsonSerializable(typeof(RoleAssignment))]
[JsonSerializable(typeof(RoleAssignmentPage))]
[JsonSerializable(typeof(RoleAssignmentBody))]
internal sealed partial class ArmJsonContext : JsonSerializerContext;
