using ConfigureWorkloadIdentity.Failures;
using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Tests.Failures;

public sealed class KubernetesFailuresTests
{
    /// <summary>Status, reason, Status message, and the fragments the explanation must contain.</summary>
    public static TheoryData<int, string, string, string[]> Catalogue => new()
    {
        { 403, "Forbidden", "serviceaccounts \"wi-sa\" is forbidden: User \"system:serviceaccount:ci:deployer\" "
            + "cannot patch resource \"serviceaccounts\" in API group \"\" in the namespace \"team-a\"",
            ["refused user 'system:serviceaccount:ci:deployer' to patch serviceaccounts in namespace 'team-a'.",
             "kubectl create role configure-workload-identity -n team-a --verb=patch --resource=serviceaccounts",
             "--serviceaccount=ci:deployer."] },
        { 403, "Forbidden", "namespaces is forbidden: User \"alice\" cannot create resource \"namespaces\" in API "
            + "group \"\" at the cluster scope",
            ["to create namespaces at the cluster scope.", "ClusterRole", "--user=alice",
             "create the namespace beforehand"] },
        { 403, "Forbidden", "serviceaccounts \"wi-sa\" is forbidden: User \"5c1e\" cannot create resource "
            + "\"serviceaccounts/token\" in API group \"\" in the namespace \"team-a\": Azure does not have opinion "
            + "for this user.",
            ["create serviceaccounts/token in namespace 'team-a'", "Azure RBAC",
             "Azure Kubernetes Service RBAC Writer", "/namespaces/team-a"] },
        { 403, "Forbidden", "mutatingwebhookconfigurations.admissionregistration.k8s.io \"x\" is forbidden: User "
            + "\"bob\" cannot get resource \"mutatingwebhookconfigurations\" in API group "
            + "\"admissionregistration.k8s.io\" at the cluster scope",
            ["(API group admissionregistration.k8s.io)",
             "--resource=mutatingwebhookconfigurations.admissionregistration.k8s.io"] },
        { 403, "Forbidden", "serviceaccounts \"wi-sa\" is forbidden: unable to create new content in namespace "
            + "team-a because it is being terminated", ["being deleted (Terminating)"] },
        { 401, "Unauthorized", "Unauthorized", ["did not accept the credentials"] },
        { 404, "NotFound", "namespaces \"team-a\" not found", ["'createNamespace' to true"] },
        { 409, "Conflict", "Operation cannot be fulfilled", ["changed while this run wrote it"] },
        { 422, "Invalid", "ServiceAccount \"x\" is invalid: metadata.labels: Invalid value", ["invalid (422)"] },
        { 429, "TooManyRequests", "slow down", ["unavailable or throttled (429)"] },
    };

    [Theory]
    [MemberData(nameof(Catalogue))]
    public void Explain_KnownFailure_SaysWhatAndTheFixAndKeepsTheEvidence(
        int status, string reason, string message, string[] fragments)
    {
        var ex = new KubernetesRequestException("PATCH serviceaccount", status, reason, message, "audit-1");

        var explained = KubernetesFailures.Explain(ex);

        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, explained, StringComparison.Ordinal);
        }

        Assert.EndsWith(ex.Message, explained, StringComparison.Ordinal);
        Assert.EndsWith("(Audit-Id: audit-1)", explained, StringComparison.Ordinal);
    }
}
