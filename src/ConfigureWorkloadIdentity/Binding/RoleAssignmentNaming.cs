using System.Security.Cryptography;
using System.Text;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// The name of the role assignment a binding grants: a UUIDv5 of the scope, role and principal, so a rerun
/// PUTs onto the same assignment instead of making a duplicate (which ARM refuses with 409 under a new name).
/// </summary>
internal static class RoleAssignmentNaming
{
    /// <summary>This task's UUIDv5 namespace; changing it renames every assignment the task ever made.</summary>
    public static readonly Guid Namespace = new("43bd63f5-0f81-4fd2-a98d-8295f92e7599");

    /// <summary>
    /// The assignment name for <paramref name="principalId"/> holding a role at <paramref name="scope"/>. Case,
    /// a trailing slash and the form of the role (GUID or either roleDefinitions id) do not change it.
    /// </summary>
    public static string AssignmentName(string scope, string roleDefinitionIdOrGuid, string principalId)
    {
        var normalScope = "/" + scope.Trim('/');
        var roleGuid = roleDefinitionIdOrGuid[(roleDefinitionIdOrGuid.LastIndexOf('/') + 1)..];
        var name = $"{normalScope}|{roleGuid}|{principalId}".ToLowerInvariant();
        return Uuid5(Namespace, name).ToString();
    }

    /// <summary>A name-based UUID, version 5 (RFC 9562 section 5.5): SHA-1 of namespace and UTF-8 name.</summary>
    internal static Guid Uuid5(Guid namespaceId, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
#pragma warning disable CA5350 // UUIDv5 is defined over SHA-1; the hash makes a name, it protects nothing.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
