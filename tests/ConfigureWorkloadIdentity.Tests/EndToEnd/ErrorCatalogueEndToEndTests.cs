using System.Text.RegularExpressions;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// Failures from Resource Manager, the Kubernetes API and Entra ID reach the user as the catalogue explains them:
/// what was refused, the fix, and the service's own evidence with its request ids, and nothing written.
/// </summary>
public sealed class ErrorCatalogueEndToEndTests : EndToEndTestBase
{
    private const string Guid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    [Fact]
    public async Task Run_Arm403OnCredentialWrite_NamesActionScopeAndRoleWithRequestIds()
    {
        const string action = "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write";
        World.Azure.State.Deny(EmulatedWorld.ServicePrincipalObjectId, action, "");
        var identity = $"/subscriptions/{Scenario.SubscriptionId}/resourceGroups/{Scenario.IdentityResourceGroup}"
            + $"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{Scenario.IdentityName}";
        var credential = $"{identity}/federatedIdentityCredentials/{Scenario.FederatedCredentialName}";

        using var run = await RunAsync();

        var error = Assert.Single(run.Errors).Message;
        // The agent masks the connection's client id, which the task registers as a secret.
        var expected = "Azure refused the service connection's identity (client id ***, object id "
            + $"{EmulatedWorld.ServicePrincipalObjectId}) the action "
            + $"{action} on {identity}. Grant it a role that includes this action on that scope or above, for "
            + "example Managed Identity Contributor: az role assignment create --assignee-object-id "
            + $"{EmulatedWorld.ServicePrincipalObjectId} --assignee-principal-type ServicePrincipal --role "
            + $"\"Managed Identity Contributor\" --scope {identity} (a new assignment can take a few minutes to "
            + $"apply). ARM PUT {credential} answered 403 AuthorizationFailed: The client "
            + $"'***' with object id '{EmulatedWorld.ServicePrincipalObjectId}' does not "
            + $"have authorization to perform action '{action}' over scope '{credential}' or the scope is invalid. "
            + "If access was recently granted, please refresh your credentials. ";
        Assert.Matches("^" + Regex.Escape(expected)
            + $@"\(x-ms-request-id: {Guid}, x-ms-correlation-request-id: {Guid}\)$", error);
        Assert.Empty(Credentials());
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_Kubernetes403OnServiceAccountRead_NamesVerbResourceNamespaceUserAndTheRule()
    {
        World.Kubernetes.Deny(EmulatedWorld.KubernetesUser, "get", "serviceaccounts", Scenario.Namespace);

        using var run = await RunAsync();

        var error = Assert.Single(run.Errors).Message;
        var (ns, sa) = (Scenario.Namespace, Scenario.ServiceAccountName);
        var expected = $"The cluster's RBAC refused user '{EmulatedWorld.KubernetesUser}' to get serviceaccounts "
            + $"in namespace '{ns}'. Grant it with a Role and RoleBinding in '{ns}' allowing get on serviceaccounts, "
            + $"e.g. kubectl create role configure-workload-identity -n {ns} --verb=get --resource=serviceaccounts "
            + $"and kubectl create rolebinding configure-workload-identity -n {ns} "
            + "--role=configure-workload-identity --serviceaccount=pipelines:deployer. Kubernetes GET "
            + $"serviceaccount {ns}/{sa} answered 403 Forbidden: serviceaccounts \"{sa}\" is forbidden: User "
            + $"\"{EmulatedWorld.KubernetesUser}\" cannot get resource \"serviceaccounts\" in API group \"\" in the "
            + $"namespace \"{ns}\" ";
        Assert.Matches("^" + Regex.Escape(expected) + $@"\(Audit-Id: {Guid}\)$", error);
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }

    [Fact]
    public async Task Run_ServiceConnectionAppNotInTenant_ExplainsAadsts700016WithEntrasIds()
    {
        const string unknownApp = "0f0f0f0f-1111-4222-8333-444444444444";
        var job = World.CreateJob();
        var connection = job.Endpoints[0];
        var parameters = new Dictionary<string, string>(connection.AuthParameters)
        {
            ["serviceprincipalid"] = unknownApp,
        };
        job.Endpoints[0] = connection with { AuthParameters = parameters };

        using var run = await Harness.RunAsync(job);

        var error = Assert.Single(run.Errors).Message;
        var expected = "Sign-in to Entra ID failed: The application is not in the tenant (AADSTS700016). The "
            + "service connection's client id is not an app in its tenant: the tenant is wrong or the app was "
            + "deleted. Check the service connection's tenant and client id. ";
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Matches("AADSTS700016: Application with identifier '\\*\\*\\*' was not found in the directory "
            + $"'{Scenario.TenantId}'.*Trace ID: {Guid} Correlation ID: {Guid} Timestamp: ", error);
        Assert.Equal(0, World.Azure.State.ArmWriteCount);
        Assert.Equal(0, World.Kubernetes.State.WriteCount);
    }
}
