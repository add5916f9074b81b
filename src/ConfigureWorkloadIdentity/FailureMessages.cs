using Azure.Identity;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity;

/// <summary>Turns a failure into one message for the pipeline user: what failed, the evidence, what to do.</summary>
internal static class FailureMessages
{
    /// <summary>
    /// The message for a failure the run knows how to explain; <paramref name="binding"/> is the binding it
    /// happened in, or null for the step's first.
    /// </summary>
    public static string Describe(Exception ex, RunRequest request, BindingRequest? binding = null) =>
        Describe(ex, binding ?? request.Bindings[0]);

    private static string Describe(Exception ex, BindingRequest binding) => ex switch
    {
        BindingFailedException => ex.Message,
        RoleDefinitionNotFoundException => ex.Message,
        ArmRequestException { Status: 401 } arm =>
            $"Azure Resource Manager rejected the service connection's token. {arm.Message}",
        ArmRequestException { Status: 403 } arm =>
            "The service connection's identity is not allowed to do this. Grant it a role with the action named "
            + $"below on that scope (for example Managed Identity Contributor on identity {binding.Identity}"
            + $", and a role that can read the AKS cluster). {arm.Message}",
        ArmRequestException { Status: 400 } arm
            when arm.Message.Contains("disable local accounts", StringComparison.OrdinalIgnoreCase) =>
            "The cluster has local accounts disabled, so its admin credentials cannot be fetched. Set "
            + $"'{InputNames.UseClusterAdmin}' to false: the user credentials work with Entra ID, and the service "
            + $"connection's identity needs a Kubernetes role on the cluster. {arm.Message}",
        ArmRequestException arm => arm.Message,
        KubernetesRequestException { Status: 403 } k8s =>
            $"The cluster refused the kubeconfig's identity: {k8s.StatusMessage}. Grant it get, create and patch on "
            + $"serviceaccounts in namespace '{binding.Namespace}' (and get and create on namespaces when "
            + "createNamespace is true).",
        KubernetesRequestException { Status: 401 } k8s =>
            $"The cluster did not accept the kubeconfig's credentials ({k8s.StatusMessage}). Refresh the kubeconfig.",
        KubernetesRequestException k8s => k8s.Message,
        CredentialUnavailableException unavailable => $"No Azure credential is available. {unavailable.Message}",
        AuthenticationFailedException auth => SignInFailed(auth),
        _ => $"Unexpected {ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>
    /// Azure.Identity's message stops at "authentication failed: "; Entra's AADSTS code and text, which say
    /// what is wrong (an expired secret, a wrong tenant), are in the inner exception.
    /// </summary>
    private static string SignInFailed(AuthenticationFailedException ex)
    {
        var reason = ex.InnerException?.Message;
        return string.IsNullOrWhiteSpace(reason)
            ? $"Sign-in to Entra ID failed. {ex.Message}"
            : $"Sign-in to Entra ID failed: {reason.Trim()} Check the service connection's credential "
              + "(an expired or wrong secret is the most common cause) and its tenant.";
    }
}
