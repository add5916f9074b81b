using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Azure;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// The naming rules of Kubernetes, ARM and Entra that inputs must meet. Each returns null when the value is
/// fine, or the reason it is not, phrased to follow "Input 'x' ('value') ".
/// </summary>
internal static partial class InputRules
{
    public const int IssuerMaxLength = 600;

    /// <summary>ARM ids of nested resources stay well below this.</summary>
    public const int RoleScopeMaxLength = 1024;

    /// <summary>Azure allows role names up to 512 characters.</summary>
    public const int RoleNameMaxLength = 512;

    private const string GuidPattern = "[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}";

    /// <summary>A namespace name: a DNS-1123 label.</summary>
    public static string? Dns1123Label(string value) =>
        value.Length > 63 || !Dns1123LabelRegex().IsMatch(value)
            ? "is not a valid Kubernetes namespace name: use at most 63 lower-case letters, digits and '-', "
              + "starting and ending with a letter or digit (for example 'team-a')."
            : null;

    /// <summary>A ServiceAccount name: a DNS-1123 subdomain.</summary>
    public static string? Dns1123Subdomain(string value) =>
        value.Length > 253 || !Dns1123SubdomainRegex().IsMatch(value)
            ? "is not a valid Kubernetes ServiceAccount name: use at most 253 lower-case letters, digits, '-' and '.', "
              + "starting and ending with a letter or digit (for example 'app-wi-sa')."
            : null;

    /// <summary>A federated identity credential name, as the Microsoft.ManagedIdentity API accepts it.</summary>
    public static string? CredentialName(string value) =>
        !CredentialNameRegex().IsMatch(value)
            ? "is not a valid federated credential name: use 3-120 letters, digits, '-' and '_', "
              + "starting with a letter or digit."
            : null;

    /// <summary>A resource group name.</summary>
    public static string? ResourceGroupName(string value) =>
        value.Length > 90 || !ResourceGroupRegex().IsMatch(value) || value.EndsWith('.')
            ? "is not a valid resource group name: use 1-90 letters, digits, '_', '-', '.', '(' and ')', "
              + "not ending with '.'."
            : null;

    /// <summary>A user-assigned managed identity name.</summary>
    public static string? IdentityName(string value) =>
        !IdentityNameRegex().IsMatch(value)
            ? "is not a valid managed identity name: use 3-128 letters, digits, '-' and '_', "
              + "starting with a letter or digit."
            : null;

    /// <summary>An AKS cluster name.</summary>
    public static string? ClusterName(string value) =>
        !ClusterNameRegex().IsMatch(value)
            ? "is not a valid AKS cluster name: use 1-63 letters, digits, '-' and '_', "
              + "starting and ending with a letter or digit."
            : null;

    /// <summary>A subscription id: a GUID.</summary>
    public static string? SubscriptionId(string value) =>
        !Guid.TryParseExact(value, "D", out _)
            ? "is not a subscription id: give the GUID form, e.g. 0b1f6471-1bf0-4dda-aec3-cb9272f09590."
            : null;

    /// <summary>
    /// An OIDC issuer: an absolute https URL with a host, no whitespace, no query or fragment, at most 600
    /// characters. The value is used verbatim; a trailing slash is neither added nor removed.
    /// </summary>
    public static string? Issuer(string value)
    {
        if (value.Length > IssuerMaxLength)
        {
            return $"is longer than {IssuerMaxLength} characters, the limit for a federated credential issuer.";
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "contains whitespace or control characters; Entra ID blocks the token exchange for such an "
                + "issuer. Give the issuer exactly as the cluster reports it.";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || string.IsNullOrEmpty(uri.Host))
        {
            return "is not an https URL. Give the cluster's OIDC issuer, e.g. "
                + "'https://eastus.oic.prod-aks.azure.com/<tenant>/<guid>/' (az aks show --query "
                + "oidcIssuerProfile.issuerUrl).";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "carries a user name or password; an OIDC issuer URL has none (and it would be printed).";
        }

        return uri.Query.Length > 0 || uri.Fragment.Length > 0
            ? "has a query or fragment; an OIDC issuer URL has neither."
            : null;
    }

    /// <summary>
    /// A scope to grant a role at: a subscription, a resource group or a resource, as an ARM id starting with
    /// /subscriptions/{guid}.
    /// </summary>
    public static string? RoleScope(string value)
    {
        const string expected = "Give an ARM id: /subscriptions/{subscription-guid}, optionally followed by "
            + "/resourceGroups/{name} and /providers/{Namespace}/{type}/{name} (for example a key vault's id, "
            + "az keyvault show --query id).";
        if (value.Length > RoleScopeMaxLength)
        {
            return $"is longer than {RoleScopeMaxLength} characters. {expected}";
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"contains whitespace or control characters. {expected}";
        }

        // A URL would resolve these before ARM sees them: '..' climbs to a broader scope than the one written,
        // '?' and '#' cut the id short, '%' escapes hide either.
        if (value.Split('/').Any(segment => segment is "." or "..") || value.IndexOfAny(['?', '#', '%', '\\']) >= 0)
        {
            return $"contains '.', '..', '?', '#', '%' or '\\', which would change the scope the role is given on. "
                + expected;
        }

        if (value.Contains("/providers/Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase))
        {
            return "is a role assignment or role definition id, not a scope. Give the id of the subscription, "
                + "resource group or resource the role applies to.";
        }

        return RoleScopeRegex().IsMatch(value)
            ? null
            : $"is not a subscription, resource group or resource id. {expected}";
    }

    /// <summary>
    /// A role to grant: a role's whole name (e.g. Key Vault Secrets User), its GUID, or a roleDefinitions id.
    /// Whether a name exists is only known at the scope, through ARM.
    /// </summary>
    public static string? Role(string value)
    {
        const string expected = "Give a role's name as the Azure portal shows it (for example 'Key Vault Secrets "
            + "User'), its GUID (4633458b-17de-408a-b874-0445c86b69e6) or its full id "
            + "(/subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}).";
        if (value.Length == 0 || value.Length > RoleNameMaxLength || value.Trim() != value
            || value.Any(char.IsControl))
        {
            return $"is not a role. {expected}";
        }

        return ArmClient.RoleDefinitionGuidOf(value) is null && ArmClient.LooksLikeRoleId(value)
            ? $"is neither a role GUID nor a roleDefinitions id. {expected}"
            : null;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\z")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9-_]{2,119}\z")]
    private static partial Regex CredentialNameRegex();

    [GeneratedRegex(@"^[-\w._()]{1,90}\z")]
    private static partial Regex ResourceGroupRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9-_]{2,127}\z")]
    private static partial Regex IdentityNameRegex();

    [GeneratedRegex(@"^[a-zA-Z0-9]([a-zA-Z0-9-_]{0,61}[a-zA-Z0-9])?\z")]
    private static partial Regex ClusterNameRegex();

    // A subscription, then a resource group, then providers/{Namespace} and type/name pairs (nested types too).
    [GeneratedRegex(
        "^/subscriptions/" + GuidPattern + @"(?:/resourceGroups/[-\w._()]{1,90}"
        + @"(?:/providers/[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+(?:/[^/]+/[^/]+)+)?)?\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleScopeRegex();
}
