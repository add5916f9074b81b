using ConfigureWorkloadIdentity.Failures;
using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Pipelines;
using k8s.Models;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Shows what the workload identity webhook does to a pod of the ServiceAccount, without running one: a
/// server-side dry-run create of a labelled pod goes through admission, webhooks included, and the answer is the
/// pod as it would start. The webhook must inject AZURE_CLIENT_ID (the identity's), AZURE_FEDERATED_TOKEN_FILE and
/// the projected token volume for api://AzureADTokenExchange.
/// </summary>
internal sealed class WebhookProbe(ClusterClient cluster, IReporter reporter)
{
    private const string ClientIdVariable = "AZURE_CLIENT_ID";
    private const string TokenFileVariable = "AZURE_FEDERATED_TOKEN_FILE";

    /// <summary>
    /// Runs the dry run; returns the line that says what the webhook injects, or a warning (already reported) that
    /// says what is missing and why; neither when it could not be checked (no webhook, or no right to create pods).
    /// </summary>
    public async Task<(string? Line, string? Warning)> CheckAsync(
        BindingRequest request,
        string clientId,
        CancellationToken cancellationToken)
    {
        var webhook = await cluster.GetWebhookStatusAsync(cancellationToken);
        if (webhook.State == WebhookState.Absent)
        {
            reporter.Debug("No workload identity webhook is installed, so no dry-run pod was created to check it.");
            return (null, null);
        }

        var sa = $"{request.Namespace}/{request.ServiceAccountName}";
        var labelled = $"ServiceAccount {sa} labelled {WorkloadIdentityKeys.UseLabel}: \"true\"";
        V1Pod? pod;
        try
        {
            pod = await cluster.DryRunCreatePodAsync(request.Namespace, request.ServiceAccountName,
                new Dictionary<string, string> { [WorkloadIdentityKeys.UseLabel] = "true" }, cancellationToken);
        }
        catch (KubernetesRequestException ex)
        {
            return Warn($"A dry-run create of a pod of {labelled} failed, so whether the workload identity webhook "
                + $"injects the identity is unknown: {KubernetesFailures.Explain(ex)}");
        }

        if (pod is null)
        {
            reporter.Debug($"The cluster identity may not create pods in {request.Namespace} (403), so the webhook's "
                + "injection was not checked with a dry run.");
            return (null, null);
        }

        var env = pod.Spec?.Containers?.FirstOrDefault()?.Env ?? [];
        string? Value(string name) => env.FirstOrDefault(e => e.Name == name)?.Value;
        var injectedClientId = Value(ClientIdVariable);
        var tokenFile = Value(TokenFileVariable);
        var volume = pod.Spec?.Volumes?.Any(v => v.Projected?.Sources?.Any(
            s => s.ServiceAccountToken?.Audience == BindingRequest.Audience) == true) == true;
        var missing = new List<string>();
        if (injectedClientId is null)
        {
            missing.Add(ClientIdVariable);
        }

        if (tokenFile is null)
        {
            missing.Add(TokenFileVariable);
        }

        if (!volume)
        {
            missing.Add($"the projected token volume for {BindingRequest.Audience}");
        }

        if (missing.Count == 0 && injectedClientId == clientId)
        {
            return ($"Webhook: injects {ClientIdVariable}={clientId} and {TokenFileVariable}={tokenFile} (and the "
                + $"projected token) into pods of {labelled} (server-side dry run; nothing was created).", null);
        }

        if (missing.Count == 0)
        {
            return Warn($"The workload identity webhook injects {ClientIdVariable}={injectedClientId} into pods of "
                + $"{labelled}, not the identity's client id {clientId}: it may still see the ServiceAccount's "
                + "previous annotation (its cache lags a few seconds). Restart pods created in the meantime.");
        }

        var why = missing.Count == 3
            ? webhook.State == WebhookState.Unknown
                ? "the webhook did not mutate it, and its configuration could not be read (403): it is probably not "
                  + "installed. Install it (az aks update --enable-workload-identity on AKS)."
                : "the webhook is installed but did not mutate it: its namespaceSelector or objectSelector may "
                  + $"exclude namespace '{request.Namespace}' or the pod; check kubectl get "
                  + $"mutatingwebhookconfiguration {ClusterClient.WebhookConfigurationName} -o yaml."
            : "the webhook mutated it only in part; another webhook or the pod's own settings may interfere.";
        return Warn($"A dry-run pod of {labelled} got no {string.Join(", ", missing)}: {why} Pods of this "
            + "ServiceAccount will not get the identity's token until this is fixed.");
    }

    private (string?, string?) Warn(string warning)
    {
        reporter.Warning(warning);
        return (null, warning);
    }
}
