using System.Globalization;
using System.Text;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// The kubeconfigs AKS returns from listClusterUserCredential and listClusterAdminCredential: one cluster, one
/// context (the cluster's name, "-admin" for admin), one user; an Entra ID cluster's user signs in through the
/// kubelogin exec plugin, others carry a static token.
/// </summary>
internal static class ClusterKubeconfig
{
    /// <summary>The AKS Entra ID server application.</summary>
    public const string ServerApplicationId = "6dae42f8-4368-4678-94ff-3960e28e3630";

    /// <summary>The Azure CLI's public client, which kubelogin signs in as interactively.</summary>
    public const string ClientApplicationId = "80faf920-1908-4b52-b5ef-a8e7bedfc67a";

    public static string Create(ManagedCluster cluster, bool admin, string fqdn)
    {
        var server = cluster.KubernetesServer?.GetLeftPart(UriPartial.Authority) ?? $"https://{fqdn}:443";
        var context = admin ? cluster.Name + "-admin" : cluster.Name;
        var user = $"{(admin ? "clusterAdmin" : "clusterUser")}_{cluster.ResourceGroup}_{cluster.Name}";
        var builder = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("clusters:")
            .AppendLine("- cluster:")
            .AppendLine(CultureInfo.InvariantCulture,
                $"    certificate-authority-data: {cluster.CertificateAuthorityData ?? ""}")
            .AppendLine(CultureInfo.InvariantCulture, $"    server: {server}")
            .AppendLine(CultureInfo.InvariantCulture, $"  name: {cluster.Name}")
            .AppendLine("contexts:")
            .AppendLine("- context:")
            .AppendLine(CultureInfo.InvariantCulture, $"    cluster: {cluster.Name}")
            .AppendLine(CultureInfo.InvariantCulture, $"    user: {user}")
            .AppendLine(CultureInfo.InvariantCulture, $"  name: {context}")
            .AppendLine(CultureInfo.InvariantCulture, $"current-context: {context}")
            .AppendLine("kind: Config")
            .AppendLine("preferences: {}")
            .AppendLine("users:")
            .AppendLine(CultureInfo.InvariantCulture, $"- name: {user}")
            .AppendLine("  user:");
        if (!admin && cluster.AadProfile is { } aad)
        {
            builder
                .AppendLine("    exec:")
                .AppendLine("      apiVersion: client.authentication.k8s.io/v1beta1")
                .AppendLine("      args:")
                .AppendLine("      - get-token")
                .AppendLine("      - --environment")
                .AppendLine("      - AzurePublicCloud")
                .AppendLine("      - --server-id")
                .AppendLine(CultureInfo.InvariantCulture, $"      - {ServerApplicationId}")
                .AppendLine("      - --client-id")
                .AppendLine(CultureInfo.InvariantCulture, $"      - {ClientApplicationId}")
                .AppendLine("      - --tenant-id")
                .AppendLine(CultureInfo.InvariantCulture, $"      - {aad.TenantId}")
                .AppendLine("      - --login")
                .AppendLine("      - devicecode")
                .AppendLine("      command: kubelogin")
                .AppendLine("      env: null")
                .AppendLine("      installHint: |")
                .AppendLine("        kubelogin is not installed which is required to connect to AAD enabled cluster.")
                .AppendLine("      interactiveMode: IfAvailable")
                .AppendLine("      provideClusterInfo: false");
        }
        else
        {
            builder.AppendLine(CultureInfo.InvariantCulture,
                $"    token: {(admin ? cluster.AdminToken : cluster.UserToken) ?? ""}");
        }

        return builder.ToString();
    }
}
