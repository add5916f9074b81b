using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Failures;

/// <summary>
/// Resource Manager errors explained: what was refused or missing and the fix (for a 403 the action, the scope
/// and a built-in role that grants it). Every explanation ends with the evidence, the request and correlation ids
/// among it.
/// </summary>
internal static partial class ArmFailures
{
    /// <summary>
    /// Built-in roles that grant the actions this task performs, most specific first; the first whose action
    /// pattern matches is named.
    /// </summary>
    public static readonly IReadOnlyList<(string Action, string Role)> Roles =
    [
        ("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write",
            "Managed Identity Contributor"),
        ("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/delete",
            "Managed Identity Contributor"),
        ("Microsoft.ManagedIdentity/userAssignedIdentities/write", "Managed Identity Contributor"),
        ("Microsoft.ManagedIdentity/", "Managed Identity Operator"),
        ("Microsoft.ContainerService/managedClusters/listClusterUserCredential/action",
            "Azure Kubernetes Service Cluster User Role"),
        ("Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action",
            "Azure Kubernetes Service Cluster Admin Role"),
        ("Microsoft.ContainerService/managedClusters/read", "Azure Kubernetes Service Cluster User Role"),
        ("Microsoft.Authorization/roleAssignments/write", "Role Based Access Control Administrator"),
        ("/read", "Reader"),
    ];

    /// <summary>The plain explanation and the fix for a failed Resource Manager request.</summary>
    public static string Explain(ArmRequestException ex) => ex switch
    {
        { Status: 403 } when AuthorizationFailed(ex.ArmMessage) is { } denied => Forbidden(denied, ex),
        { Status: 403 } =>
            "Azure refused the service connection's identity (403). Grant it a role on the scope named below "
            + "that includes the action. " + ex.Message,
        { Status: 401 } =>
            "Azure Resource Manager rejected the service connection's token (401): it is expired, for another "
            + "tenant or cloud, or for another audience. Check the service connection's tenant and environment. "
            + ex.Message,
        { Status: 404, Code: "ResourceGroupNotFound" } =>
            "The resource group does not exist in the service connection's subscription (or the connection "
            + "cannot see it). Check the resource group inputs and the connection's subscription. " + ex.Message,
        { Status: 404, Code: "SubscriptionNotFound" } =>
            "The subscription does not exist or the service connection has no access to it. Check the "
            + "connection's subscription. " + ex.Message,
        { Status: 404 } =>
            "The resource was not found (404). Check its name and resource group in the inputs, and the service "
            + "connection's subscription. " + ex.Message,
        { Status: 405 } when Has(ex, "federated identity credentials not enabled") =>
            "The identity's region cannot hold federated credentials. Create the user-assigned identity in a "
            + "supported region (it can still be used from any region). " + ex.Message,
        { Status: 400 } when Has(ex, "disable local accounts") =>
            "The cluster has local accounts disabled, so its admin credentials cannot be fetched. Set "
            + $"'{InputNames.UseClusterAdmin}' to false: the user credentials work with Entra ID, and the service "
            + "connection's identity needs a Kubernetes role on the cluster. " + ex.Message,
        { Status: 400 } when Has(ex, "Issuer and subject combination already exists") =>
            "Another federated credential on the identity already has this issuer and subject; Azure allows one. "
            + "Run again (the task adopts the existing credential), or delete the other one. " + ex.Message,
        { Status: 400 } when Has(ex, "exactly one audience") =>
            "A federated credential must have exactly one audience, api://AzureADTokenExchange. " + ex.Message,
        { Status: 400 } when Has(ex, "must specify 'issuer', 'subject' and 'audience'")
            || Has(ex, "has empty properties") =>
            "The federated credential was sent without an issuer, subject or audience; the cluster's OIDC issuer "
            + "may not be ready yet. Check that the cluster reports its issuer URL and run again. " + ex.Message,
        { Status: 400 } when Has(ex, "Federated Identity Credential name") =>
            "The federated credential name is invalid: 3-120 letters, digits, '-' or '_', starting with a letter "
            + $"or digit. Change '{InputNames.FederatedCredentialName}'. " + ex.Message,
        { Status: 409, Code: "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity" } =>
            "Other runs kept writing federated credentials to the same identity, and Azure allows one write at a "
            + "time; the retries ran out. Run again, or run the jobs that share the identity one after another. "
            + ex.Message,
        { Status: 429 } =>
            "Azure Resource Manager kept throttling the requests (429) after the retries. Wait a few minutes and "
            + "run again; many runs writing to one identity or subscription at once cause this. " + ex.Message,
        { Status: >= 500 } =>
            $"Azure Resource Manager had a server error ({ex.Status}) through the retries. Run again later; if it "
            + "persists, give Azure support the request ids below. " + ex.Message,
        _ => ex.Message,
    };

    /// <summary>The built-in role to suggest for an action.</summary>
    public static string RoleFor(string action) =>
        Roles.FirstOrDefault(r => Matches(r.Action, action)).Role ?? "a role that includes this action";

    /// <summary>A pattern ending in '/' is a prefix, one starting with '/' a suffix, any other exact.</summary>
    private static bool Matches(string pattern, string action) =>
        pattern.EndsWith('/') ? action.StartsWith(pattern, StringComparison.OrdinalIgnoreCase)
        : pattern.StartsWith('/') ? action.EndsWith(pattern, StringComparison.OrdinalIgnoreCase)
        : string.Equals(action, pattern, StringComparison.OrdinalIgnoreCase);

    private static string Forbidden((string Client, string ObjectId, string Action, string Scope) denied,
        ArmRequestException ex)
    {
        // A federated credential is a child of its identity: grant on the identity, where the roles are assigned.
        var scope = ChildCredential().Replace(denied.Scope, "");
        var role = RoleFor(denied.Action);
        return $"Azure refused the service connection's identity (client id {denied.Client}, object id "
            + $"{denied.ObjectId}) the action {denied.Action} on {scope}. Grant it a role that includes this "
            + $"action on that scope or above, for example {role}: az role assignment create --assignee-object-id "
            + $"{denied.ObjectId} --assignee-principal-type ServicePrincipal --role \"{role}\" --scope {scope} "
            + $"(a new assignment can take a few minutes to apply). {ex.Message}";
    }

    private static (string, string, string, string)? AuthorizationFailed(string? message)
    {
        var match = message is null ? Match.Empty : AuthorizationFailedPattern().Match(message);
        return match.Success
            ? (match.Groups["client"].Value, match.Groups["oid"].Value, match.Groups["action"].Value,
                match.Groups["scope"].Value)
            : null;
    }

    private static bool Has(ArmRequestException ex, string text) =>
        ex.ArmMessage?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;

    [GeneratedRegex(
        "The client '(?<client>[^']*)' with object id '(?<oid>[^']*)' does not have authorization to perform "
        + "action '(?<action>[^']+)' over scope '(?<scope>[^']+)'")]
    private static partial Regex AuthorizationFailedPattern();

    [GeneratedRegex("/federatedIdentityCredentials/[^/]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ChildCredential();
}
