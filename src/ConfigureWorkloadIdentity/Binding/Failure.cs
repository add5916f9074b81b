using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// The failures one binding can meet while it is written or verified, which fail that binding and let the others
/// go on: a refusal from Azure or the cluster, or a binding that cannot work. Anything else stops the step.
/// </summary>
internal static class Failure
{
    /// <summary>Runs the work; returns the binding failure it ended with, or null when it succeeded.</summary>
    public static async Task<Exception?> OfAsync(Func<Task> work)
    {
        try
        {
            await work();
            return null;
        }
        catch (ArmRequestException ex)
        {
            return ex;
        }
        catch (KubernetesRequestException ex)
        {
            return ex;
        }
        catch (BindingFailedException ex)
        {
            return ex;
        }
    }
}
