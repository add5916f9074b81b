namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// The built-in roles the emulator knows, with Azure's real GUIDs and names (permissions abridged to what a
/// reader of the answers would check).
/// </summary>
public static class BuiltInRoles
{
    /// <summary>Key Vault Secrets User.</summary>
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    /// <summary>Key Vault Secrets Officer.</summary>
    public const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    /// <summary>Key Vault Certificate User.</summary>
    public const string KeyVaultCertificateUser = "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba";

    /// <summary>Storage Blob Data Reader.</summary>
    public const string StorageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";

    /// <summary>Storage Blob Data Contributor.</summary>
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

    /// <summary>Reader.</summary>
    public const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    /// <summary>Contributor.</summary>
    public const string Contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    /// <summary>Owner.</summary>
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

    /// <summary>AcrPull.</summary>
    public const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    /// <summary>Every seeded built-in role.</summary>
    public static IReadOnlyList<RoleDefinition> All { get; } =
    [
        Role(KeyVaultSecretsUser, "Key Vault Secrets User", "Read secret contents.",
            ["Microsoft.Authorization/*/read"], ["Microsoft.KeyVault/vaults/secrets/getSecret/action"]),
        Role(KeyVaultSecretsOfficer, "Key Vault Secrets Officer",
            "Perform any action on the secrets of a key vault, except manage permissions.",
            ["Microsoft.Authorization/*/read", "Microsoft.KeyVault/vaults/secrets/*"],
            ["Microsoft.KeyVault/vaults/secrets/*"]),
        Role(KeyVaultCertificateUser, "Key Vault Certificate User",
            "Read entire certificate contents including secret and key portion.",
            ["Microsoft.Authorization/*/read"], ["Microsoft.KeyVault/vaults/certificates/read"]),
        Role(StorageBlobDataReader, "Storage Blob Data Reader",
            "Allows for read access to Azure Storage blob containers and data",
            ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
            ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]),
        Role(StorageBlobDataContributor, "Storage Blob Data Contributor",
            "Allows for read, write and delete access to Azure Storage blob containers and data",
            ["Microsoft.Storage/storageAccounts/blobServices/containers/*"],
            ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"]),
        Role(Reader, "Reader", "View all resources, but does not allow you to make any changes.", ["*/read"], []),
        Role(Contributor, "Contributor",
            "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, "
            + "manage assignments in Azure Blueprints, or share image galleries.", ["*"], []),
        Role(Owner, "Owner", "Grants full access to manage all resources, including the ability to assign roles "
            + "in Azure RBAC.", ["*"], []),
        Role(AcrPull, "AcrPull", "acr pull", ["Microsoft.ContainerRegistry/registries/pull/read"], []),
    ];

    private static RoleDefinition Role(
        string name,
        string roleName,
        string description,
        string[] actions,
        string[] dataActions) =>
        new(name, roleName, description, "BuiltInRole", actions, dataActions);
}
