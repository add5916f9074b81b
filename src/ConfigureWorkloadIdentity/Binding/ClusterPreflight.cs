using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Kubernetes;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// The read-only cluster checks: the issuer exactly as the cluster reports it (or as given, compared with the
/// cluster's when the cluster is named too), OIDC issuer and workload identity enabled, the webhook installed.
/// A check that makes the binding unable to work stops the run; a doubtful one adds a warning.
/// </summary>
internal sealed class ClusterPreflight(ArmClient arm, ClusterClient? cluster, IReporter reporter)
{
    /// <summary>The AKS cluster's region, once <see cref="CheckAsync"/> has read it (null without a cluster).</summary>
    public string? ClusterLocation { get; private set; }

    /// <summary>Runs the checks; returns the issuer the credential must trust.</summary>
    public async Task<string> CheckAsync(
        BindingRequest request,
        List<string> warnings,
        CancellationToken cancellationToken)
    {
        string issuer;
        bool? addonEnabled = null;
        if (request.Cluster is { } clusterRef)
        {
            var aks = await ReadClusterAsync(clusterRef, cancellationToken);
            ClusterLocation = aks.Location;
            var reported = ReportedIssuer(clusterRef, aks);
            addonEnabled = aks.Properties?.SecurityProfile?.WorkloadIdentity?.Enabled == true;
            if (request.IssuerUrl is { } given && !string.Equals(given, reported, StringComparison.Ordinal))
            {
                throw new BindingFailedException(
                    $"The issuer given in '{InputNames.IssuerUrl}' ('{given}') is not the one AKS cluster "
                    + $"{clusterRef} reports ('{reported}'){Difference(given, reported)}. Tokens carry the "
                    + "cluster's value byte for byte, so the credential would never match. Use the cluster's "
                    + $"value, or set '{InputNames.IssuerSource}' to 'aksCluster'. Nothing was changed.");
            }

            issuer = reported;
            reporter.Info($"Issuer (from AKS cluster {clusterRef.Name}): {issuer}");
        }
        else
        {
            issuer = request.IssuerUrl!;
            reporter.Info($"Issuer (given): {issuer}");
        }

        if (cluster is null)
        {
            // Render does not reach the cluster; the add-on flag is all there is to go on.
            if (addonEnabled == false)
            {
                warnings.Add($"Workload identity is not enabled on AKS cluster {request.Cluster}, so pods will not "
                    + "get the identity's token from the rendered ServiceAccounts until it is: az aks update -g "
                    + $"{request.Cluster?.ResourceGroup} -n {request.Cluster?.Name} --enable-workload-identity.");
            }

            return issuer;
        }

        var webhook = await cluster.GetWebhookStatusAsync(cancellationToken);
        CheckWebhook(request.Cluster, addonEnabled, webhook, warnings);
        return issuer;
    }

    private async Task<ManagedCluster> ReadClusterAsync(ClusterReference clusterRef, CancellationToken token)
    {
        try
        {
            return await arm.GetClusterAsync(clusterRef.ResourceId, token);
        }
        catch (ArmRequestException ex) when (ex.Status == 404)
        {
            throw new BindingFailedException(
                $"AKS cluster '{clusterRef.Name}' was not found in resource group '{clusterRef.ResourceGroup}'. "
                + $"Check '{InputNames.ClusterName}' and '{InputNames.ClusterResourceGroup}' (it defaults to "
                + $"'{InputNames.ResourceGroup}'). Nothing was changed. {ex.Message}",
                ex);
        }
    }

    private static string ReportedIssuer(ClusterReference clusterRef, ManagedCluster aks)
    {
        var profile = aks.Properties?.OidcIssuerProfile;
        if (profile?.Enabled != true || string.IsNullOrWhiteSpace(profile.IssuerUrl))
        {
            throw new BindingFailedException(
                $"The OIDC issuer is not enabled on AKS cluster {clusterRef}, so its tokens cannot be trusted by "
                + $"a federated credential. Enable it: az aks update -g {clusterRef.ResourceGroup} -n "
                + $"{clusterRef.Name} --enable-oidc-issuer --enable-workload-identity. Nothing was changed.");
        }

        return InputRules.Issuer(profile.IssuerUrl) is { } problem
            ? throw new BindingFailedException($"The issuer AKS reports ('{profile.IssuerUrl}') {problem}")
            : profile.IssuerUrl;
    }

    private static string Difference(string given, string reported)
    {
        if (string.Equals(given.TrimEnd('/'), reported.TrimEnd('/'), StringComparison.Ordinal))
        {
            return ": they differ only in the trailing slash";
        }

        return string.Equals(given, reported, StringComparison.OrdinalIgnoreCase)
            ? ": they differ only in letter case"
            : ": it looks like another cluster's issuer";
    }

    private void CheckWebhook(
        ClusterReference? clusterRef,
        bool? addonEnabled,
        WebhookStatus webhook,
        List<string> warnings)
    {
        var enable = clusterRef is null
            ? "install the Azure workload identity webhook"
            : $"az aks update -g {clusterRef.ResourceGroup} -n {clusterRef.Name} --enable-workload-identity";
        switch (webhook.State)
        {
            case WebhookState.Installed:
                var where = webhook.ServiceNamespace == "kube-system" ? "the AKS add-on" : "self-installed";
                reporter.Info($"Workload identity webhook: installed ({where}, service in "
                    + $"{webhook.ServiceNamespace ?? "an unknown namespace"})");
                if (addonEnabled == true && webhook.ServiceNamespace is { } ns && ns != "kube-system")
                {
                    warnings.Add(
                        $"The AKS workload identity add-on is enabled and a webhook is also installed in '{ns}' "
                        + "(Helm or manual). Two installs conflict; remove the self-installed one.");
                }

                break;
            case WebhookState.Absent when addonEnabled == false:
                throw new BindingFailedException(
                    "Workload identity is not enabled on the cluster and its webhook is not installed, so pods "
                    + $"would never receive the identity's token. Enable it: {enable}. Nothing was changed.");
            case WebhookState.Absent:
                warnings.Add(
                    "The workload identity webhook is not installed on the cluster "
                    + $"({ClusterClient.WebhookConfigurationName} not found); pods will not get the identity's "
                    + $"token until it is. If it was just enabled it may still be deploying; otherwise: {enable}.");
                break;
            default:
                warnings.Add(
                    "Could not check whether the workload identity webhook is installed: the cluster identity may "
                    + "not read mutatingwebhookconfigurations (403). Grant it get on "
                    + "mutatingwebhookconfigurations.admissionregistration.k8s.io for this check.");
                break;
        }
    }
}
