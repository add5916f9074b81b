using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Failures;

/// <summary>
/// Kubernetes Status failures explained: what the apiserver refused, why, and the fix. Every explanation ends with
/// the evidence (action, status, reason, the apiserver's message and its Audit-Id).
/// </summary>
internal static class KubernetesFailures
{
    /// <summary>The plain explanation and the fix for a failed Kubernetes request.</summary>
    public static string Explain(KubernetesRequestException ex) => ex switch
    {
        { Status: 403 } when RbacDenial.Parse(ex.StatusMessage) is { } denial => Forbidden(denial, ex),
        { Status: 403 } when ex.StatusMessage?.Contains("because it is being terminated",
            StringComparison.Ordinal) == true =>
            "The namespace is being deleted (Terminating), and Kubernetes refuses new objects in it until it is "
            + "gone. Wait for the deletion to finish and run again, or use another namespace. " + ex.Message,
        { Status: 403 } =>
            "The cluster refused the request (403) for a reason other than RBAC; its message says which admission "
            + "check refused it. " + ex.Message,
        { Status: 401 } =>
            "The cluster did not accept the credentials (401 Unauthorized): the token or client certificate is "
            + "expired, revoked or for another cluster. Refresh the kubeconfig or service connection. " + ex.Message,
        { Status: 404, StatusMessage: { } text } when text.StartsWith("namespaces ", StringComparison.Ordinal) =>
            $"The namespace does not exist. Create it, or set '{InputNames.CreateNamespace}' to true. " + ex.Message,
        { Status: 409 } =>
            "The object changed while this run wrote it (409 Conflict). Run again; if it repeats, another "
            + "controller keeps changing the same fields. " + ex.Message,
        { Status: 422 } =>
            "The cluster rejected the object as invalid (422); its message names the field. " + ex.Message,
        { Status: 429 or >= 500 } =>
            $"The API server stayed unavailable or throttled ({ex.Status}) through the retries. Run again later; "
            + "if it persists, check the cluster's health. " + ex.Message,
        _ => ex.Message,
    };

    private static string Forbidden(RbacDenial denial, KubernetesRequestException ex)
    {
        var where = denial.Namespace is { } ns ? $"in namespace '{ns}'" : "at the cluster scope";
        var what = $"The cluster's RBAC refused user '{denial.User}' to {denial.Verb} {denial.Resource}"
            + (denial.Group.Length == 0 ? "" : $" (API group {denial.Group})") + $" {where}.";
        string fix;
        if (denial.ByAzureRbac)
        {
            // Azure RBAC for Kubernetes: the grant is an Azure role assignment on the cluster (or a namespace of it).
            var role = denial.Verb is "get" or "list" or "watch"
                ? "Azure Kubernetes Service RBAC Reader"
                : "Azure Kubernetes Service RBAC Writer";
            var scope = denial.Namespace is { } n
                ? $"<cluster resource id>/namespaces/{n}"
                : "<cluster resource id>";
            fix = denial.Namespace is null && denial.Resource == "namespaces"
                ? "The cluster uses Azure RBAC. Creating a namespace needs a cluster-scope role (Azure Kubernetes "
                  + "Service RBAC Cluster Admin on the cluster), or create the namespace beforehand."
                : $"The cluster uses Azure RBAC. Assign the identity '{role}' on {scope}.";
        }
        else
        {
            var subject = denial.User.StartsWith("system:serviceaccount:", StringComparison.Ordinal)
                && denial.User.Split(':') is [_, _, var saNamespace, var saName]
                    ? $"--serviceaccount={saNamespace}:{saName}"
                    : $"--user={denial.User}";
            fix = denial.Namespace is { } n
                ? $"Grant it with a Role and RoleBinding in '{n}' allowing {denial.Verb} on "
                  + $"{denial.QualifiedResource}, "
                  + $"e.g. kubectl create role configure-workload-identity -n {n} --verb={denial.Verb} "
                  + $"--resource={denial.QualifiedResource} and kubectl create rolebinding "
                  + $"configure-workload-identity -n {n} --role=configure-workload-identity {subject}."
                : $"This needs a ClusterRole and ClusterRoleBinding allowing {denial.Verb} on "
                  + $"{denial.QualifiedResource}, e.g. kubectl create clusterrole configure-workload-identity "
                  + $"--verb={denial.Verb} --resource={denial.QualifiedResource} and kubectl create "
                  + $"clusterrolebinding configure-workload-identity --clusterrole=configure-workload-identity "
                  + $"{subject}" + (denial.Resource == "namespaces" ? ", or create the namespace beforehand." : ".");
        }

        return $"{what} {fix} {ex.Message}";
    }
}
