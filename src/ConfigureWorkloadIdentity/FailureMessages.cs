using Azure.Identity;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Failures;
using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity;

/// <summary>
/// Turns a failure into one message for the pipeline user: what failed, the evidence, what to do. The
/// explanations live in the catalogue (<see cref="ArmFailures"/>, <see cref="KubernetesFailures"/>,
/// <see cref="EntraCodes"/>); this is where a failure is routed to it.
/// </summary>
internal static class FailureMessages
{
    /// <summary>The message for a failure the run knows how to explain.</summary>
    /// <param name="ex">The failure.</param>
    public static string Describe(Exception ex)
    {
        return ex switch
        {
            BindingFailedException => ex.Message,
            RoleDefinitionNotFoundException => ex.Message,
            ArmRequestException arm => ArmFailures.Explain(arm),
            KubernetesRequestException k8s => KubernetesFailures.Explain(k8s),
            CredentialUnavailableException unavailable => $"No Azure credential is available. {unavailable.Message}",
            AuthenticationFailedException auth => SignInFailed(auth),
            _ => $"Unexpected {ex.GetType().Name}: {ex.Message}",
        };
    }

    /// <summary>
    /// Azure.Identity's message stops at "authentication failed: "; Entra's AADSTS code and text, which say
    /// what is wrong (an expired secret, a wrong tenant), are in the inner exception, with Entra's trace and
    /// correlation ids.
    /// </summary>
    private static string SignInFailed(AuthenticationFailedException ex)
    {
        var reason = ex.InnerException?.Message;
        if (string.IsNullOrWhiteSpace(reason))
        {
            return $"Sign-in to Entra ID failed. {ex.Message}";
        }

        var flat = string.Join(' ', reason.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return EntraCodes.Find(reason) is { } code
            ? $"Sign-in to Entra ID failed: {code.Meaning} (AADSTS{code.Code}). {code.ConnectionFix} {flat}"
            : $"Sign-in to Entra ID failed: {flat} Check the service connection's credential "
              + "(an expired or wrong secret is the most common cause) and its tenant.";
    }
}
