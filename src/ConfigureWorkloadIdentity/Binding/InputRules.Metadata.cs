using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>The Kubernetes rules for label and annotation keys and values, and the ARM identity id form.</summary>
internal static partial class InputRules
{
    /// <summary>The keys the task sets itself; an input that names them would fight the task.</summary>
    private static readonly string[] OwnKeys =
    [
        WorkloadIdentityKeys.ClientIdAnnotation, WorkloadIdentityKeys.UseLabel, WorkloadIdentityKeys.TenantIdAnnotation,
        WorkloadIdentityKeys.TokenExpirationAnnotation,
    ];

    /// <summary>A label or annotation key: an optional DNS subdomain prefix and '/', then a name.</summary>
    public static string? MetadataKey(string key)
    {
        if (OwnKeys.Contains(key, StringComparer.Ordinal))
        {
            return "is set by the task itself; use the task's inputs for it (identityName, annotateTenantId, "
                + "serviceAccountTokenExpiration) instead.";
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? null : key[..slash];
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefixOk = prefix is null || (prefix.Length <= 253 && Dns1123SubdomainRegex().IsMatch(prefix));
        return !prefixOk || name.Length > 63 || !QualifiedNameRegex().IsMatch(name)
            ? "is not a valid Kubernetes label or annotation key: an optional DNS prefix and '/', then at most 63 "
              + "letters, digits, '-', '_' and '.', starting and ending with a letter or digit (for example "
              + "'example.com/team')."
            : null;
    }

    /// <summary>A label value: empty, or at most 63 letters, digits, '-', '_' and '.'.</summary>
    public static string? LabelValue(string value) =>
        value.Length > 63 || (value.Length > 0 && !QualifiedNameRegex().IsMatch(value))
            ? "is not a valid Kubernetes label value: at most 63 letters, digits, '-', '_' and '.', starting and "
              + "ending with a letter or digit."
            : null;

    /// <summary>An annotation value: any text without control characters other than line breaks and tabs.</summary>
    public static string? AnnotationValue(string value) =>
        value.Any(c => char.IsControl(c) && c is not '\n' and not '\t' and not '\r') || value.Length > 65536
            ? "contains control characters or is longer than 64 KiB."
            : null;

    /// <summary>
    /// Parses a user-assigned identity's resource id into its parts; returns null and a reason when it is not one.
    /// </summary>
    public static (IdentityReference? Identity, string? Reason) IdentityResourceId(string value)
    {
        var match = IdentityIdRegex().Match(value);
        if (!match.Success || SubscriptionId(match.Groups[1].Value) is not null
            || ResourceGroupName(match.Groups[2].Value) is not null || IdentityName(match.Groups[3].Value) is not null)
        {
            return (null, "is not the resource id of a user-assigned managed identity: "
                + "/subscriptions/<subscription id>/resourceGroups/<group>/providers/"
                + "Microsoft.ManagedIdentity/userAssignedIdentities/<name>.");
        }

        return (new IdentityReference(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value), null);
    }

    /// <summary>An Azure region name, as ARM takes it ("westeurope" or "West Europe").</summary>
    public static string? Location(string value) =>
        !LocationRegex().IsMatch(value)
            ? "is not an Azure region: give its name, such as 'westeurope' (az account list-locations)."
            : null;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 ]{1,39}\z")]
    private static partial Regex LocationRegex();

    [GeneratedRegex(@"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\z")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex(@"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.ManagedIdentity/"
        + @"userAssignedIdentities/([^/]+)\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdentityIdRegex();
}
