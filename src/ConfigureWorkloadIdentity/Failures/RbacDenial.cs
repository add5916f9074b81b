using System.Net;
using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Failures;

/// <summary>
/// What an apiserver's RBAC 403 says, read back from its Status message: <c>… is forbidden: User "u" cannot
/// verb resource "r" in API group "g" in the namespace "ns"</c> (or <c>at the cluster scope</c>), with the
/// authorizer's reason appended after ": " (AKS with Azure RBAC adds "Azure does not have opinion for this user.").
/// </summary>
/// <param name="User">The user the apiserver authenticated the request as.</param>
/// <param name="Verb">The verb refused, e.g. patch.</param>
/// <param name="Resource">The resource, with its subresource when there is one (serviceaccounts/token).</param>
/// <param name="Group">The API group; empty for the core group.</param>
/// <param name="Namespace">The namespace, or null at the cluster scope.</param>
/// <param name="AuthorizerReason">The authorizer's reason, or null.</param>
internal sealed partial record RbacDenial(
    string User,
    string Verb,
    string Resource,
    string Group,
    string? Namespace,
    string? AuthorizerReason)
{
    /// <summary>Whether Azure RBAC for Kubernetes made the decision (an AKS cluster with Azure RBAC enabled).</summary>
    public bool ByAzureRbac =>
        AuthorizerReason?.Contains("Azure does not have opinion", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The RBAC resource as kubectl's --resource takes it: resource.group for a named group.</summary>
    public string QualifiedResource => Group.Length == 0 ? Resource : $"{Resource.Split('/')[0]}.{Group}"
        + (Resource.Contains('/', StringComparison.Ordinal) ? "/" + Resource.Split('/', 2)[1] : "");

    /// <summary>Reads a denial from a Status message; null when the message is not an RBAC refusal.</summary>
    public static RbacDenial? Parse(string? statusMessage)
    {
        if (statusMessage is null)
        {
            return null;
        }

        // The apiserver HTML-escapes &, < and > in this message.
        var match = Pattern().Match(WebUtility.HtmlDecode(statusMessage));
        if (!match.Success)
        {
            return null;
        }

        return new RbacDenial(
            Unquote(match.Groups["user"].Value),
            match.Groups["verb"].Value,
            Unquote(match.Groups["resource"].Value),
            Unquote(match.Groups["group"].Value),
            match.Groups["ns"].Success ? Unquote(match.Groups["ns"].Value) : null,
            match.Groups["reason"].Success ? match.Groups["reason"].Value.Trim() : null);
    }

    private static string Unquote(string goQuoted) =>
        goQuoted.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(
        """User "(?<user>(?:[^"\\]|\\.)*)" cannot (?<verb>\S+) resource "(?<resource>(?:[^"\\]|\\.)*)" """
        + """in API group "(?<group>(?:[^"\\]|\\.)*)" """
        + """(?:in the namespace "(?<ns>(?:[^"\\]|\\.)*)"|at the cluster scope)(?:: (?<reason>.*))?$""",
        RegexOptions.Singleline)]
    private static partial Regex Pattern();
}
