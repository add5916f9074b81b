using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// Microsoft.ContainerService: managed cluster GET with the fields the task reads, and the credential actions
/// listClusterUserCredential and listClusterAdminCredential (refused with 400 when local accounts are disabled).
/// </summary>
internal sealed class ContainerServiceProvider : ArmResourceProvider
{
    private const string ClusterType = "Microsoft.ContainerService/managedClusters";

    public override string Namespace => "Microsoft.ContainerService";

    public override IReadOnlyList<string> ApiVersions { get; } =
        ["2022-11-01", "2024-02-01", "2024-09-01", "2025-07-01"];

    public override ArmOperation? Match(ArmRequest request)
    {
        if (request.Segments.Count == 9 && Is(request, 2, "resourceGroups") && Is(request, 6, "managedClusters")
            && request.Method == "POST")
        {
            var admin = Is(request, 8, "listClusterAdminCredential");
            return admin || Is(request, 8, "listClusterUserCredential")
                ? new ArmOperation($"{ClusterType}/{request.Segments[8]}/action", request.Segments[3],
                    (r, ct) => ListCredentialAsync(r, admin, ct))
                : null;
        }

        if (request.Segments.Count != 8 || !Is(request, 2, "resourceGroups") || !Is(request, 6, "managedClusters"))
        {
            return null;
        }

        return request.Method == "GET"
            ? new ArmOperation(ClusterType + "/read", request.Segments[3], GetClusterAsync)
            : MethodNotAllowed(ClusterType + "/write");
    }

    private static Task GetClusterAsync(ArmRequest request, CancellationToken ct)
    {
        var cluster = request.State.GetCluster(request.Segments[1], request.Segments[3], request.Segments[7]);
        return cluster is null
            ? request.WriteErrorAsync(
                404,
                "ResourceNotFound",
                $"The Resource '{ClusterType}/{request.Segments[7]}' under resource group '{request.Segments[3]}' "
                + "was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
                ct)
            : request.WriteJsonAsync(200, ClusterBody(cluster, request.ApiVersion), ct);
    }

    private static Task ListCredentialAsync(ArmRequest request, bool admin, CancellationToken ct)
    {
        var cluster = request.State.GetCluster(request.Segments[1], request.Segments[3], request.Segments[7]);
        if (cluster is null)
        {
            return request.WriteErrorAsync(
                404,
                "ResourceNotFound",
                $"The Resource '{ClusterType}/{request.Segments[7]}' under resource group '{request.Segments[3]}' "
                + "was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
                ct);
        }

        if (admin && cluster.DisableLocalAccounts)
        {
            return request.WriteErrorAsync(
                400,
                "BadRequest",
                "Getting static credential is not allowed because this cluster is set to disable local accounts.",
                ct);
        }

        var kubeconfig = ClusterKubeconfig.Create(cluster, admin, Fqdn(cluster));
        return request.WriteJsonAsync(200, new JsonObject
        {
            ["kubeconfigs"] = new JsonArray(new JsonObject
            {
                ["name"] = admin ? "clusterAdmin" : "clusterUser",
                ["value"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(kubeconfig)),
            }),
        }, ct);
    }

    private static string Fqdn(ManagedCluster cluster) =>
        cluster.Fqdn ?? $"{cluster.Name}-dns-k7q2x9m1.hcp.{cluster.Location}.azmk8s.io";

    private static JsonObject ClusterBody(ManagedCluster cluster, string apiVersion)
    {
        var dnsPrefix = $"{cluster.Name}-dns";
        var fqdn = Fqdn(cluster);
        var oidc = new JsonObject { ["enabled"] = cluster.OidcIssuerEnabled };
        if (cluster.OidcIssuerEnabled && cluster.IssuerUrl is not null)
        {
            oidc["issuerURL"] = cluster.IssuerUrl;
        }

        // securityProfile.workloadIdentity is not in the 2022-11-01 stable model, so that version omits it.
        var security = new JsonObject();
        if (apiVersion != "2022-11-01")
        {
            security["workloadIdentity"] = new JsonObject { ["enabled"] = cluster.WorkloadIdentityEnabled };
        }

        var properties = new JsonObject
        {
            ["provisioningState"] = cluster.ProvisioningState,
            ["powerState"] = new JsonObject { ["code"] = "Running" },
            ["kubernetesVersion"] = cluster.KubernetesVersion,
            ["currentKubernetesVersion"] = cluster.KubernetesVersion,
            ["dnsPrefix"] = dnsPrefix,
            ["fqdn"] = fqdn,
            ["azurePortalFQDN"] = fqdn.Replace(".hcp.", ".portal.hcp.", StringComparison.Ordinal),
            ["agentPoolProfiles"] = new JsonArray(new JsonObject
            {
                ["name"] = "nodepool1",
                ["count"] = 3,
                ["vmSize"] = "Standard_DS2_v2",
                ["osType"] = "Linux",
                ["mode"] = "System",
                ["provisioningState"] = cluster.ProvisioningState,
                ["orchestratorVersion"] = cluster.KubernetesVersion,
            }),
            ["servicePrincipalProfile"] = new JsonObject { ["clientId"] = "msi" },
            ["nodeResourceGroup"] = $"MC_{cluster.ResourceGroup}_{cluster.Name}_{cluster.Location}",
            ["enableRBAC"] = true,
            ["oidcIssuerProfile"] = oidc,
            ["securityProfile"] = security,
            ["disableLocalAccounts"] = cluster.DisableLocalAccounts,
        };
        if (cluster.AadProfile is { } aad)
        {
            properties["aadProfile"] = new JsonObject
            {
                ["managed"] = aad.Managed,
                ["enableAzureRBAC"] = aad.EnableAzureRbac,
                ["adminGroupObjectIDs"] = new JsonArray([.. aad.AdminGroupObjectIds.Select(g => (JsonNode?)g)]),
                ["tenantID"] = aad.TenantId,
            };
        }

        return new JsonObject
        {
            ["id"] = cluster.Id,
            ["location"] = cluster.Location,
            ["name"] = cluster.Name,
            ["type"] = "Microsoft.ContainerService/ManagedClusters",
            ["tags"] = new JsonObject(),
            ["sku"] = new JsonObject { ["name"] = "Base", ["tier"] = "Free" },
            ["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
            ["properties"] = properties,
        };
    }
}
