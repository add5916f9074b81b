using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// The naming rules of Kubernetes, ARM and Entra that inputs must meet. Each returns null when the value is
/// fine, or the reason it is not, phrased to follow "Input 'x' ('value') ".
/// </summary>
internal static partial class InputRules
{
    public const int IssuerMaxLength = 600;

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
}
