using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>Microsoft.Resources: the subscription list (az login needs it) and resource group GET.</summary>
internal sealed class ResourcesProvider : ArmResourceProvider
{
    public override string Namespace => "Microsoft.Resources";

    public override IReadOnlyList<string> ApiVersions { get; } =
        ["2016-06-01", "2019-11-01", "2020-01-01", "2021-04-01", "2022-09-01", "2022-12-01"];

    public override ArmOperation? Match(ArmRequest request)
    {
        var count = request.Segments.Count;
        if (count == 1)
        {
            const string action = "Microsoft.Resources/subscriptions/read";
            return request.Method == "GET" ? new ArmOperation(action, null, ListSubscriptionsAsync)
                : MethodNotAllowed(action);
        }

        if (count == 2)
        {
            const string action = "Microsoft.Resources/subscriptions/read";
            return request.Method == "GET" ? new ArmOperation(action, null, GetSubscriptionAsync)
                : MethodNotAllowed(action);
        }

        if (count == 4 && Is(request, 2, "resourceGroups"))
        {
            const string action = "Microsoft.Resources/subscriptions/resourceGroups/read";
            return request.Method == "GET" ? new ArmOperation(action, request.Segments[3], GetGroupAsync)
                : MethodNotAllowed(action);
        }

        return null;
    }

    private static JsonObject Subscription(AzureSubscription subscription) => new()
    {
        ["id"] = $"/subscriptions/{subscription.SubscriptionId}",
        ["subscriptionId"] = subscription.SubscriptionId,
        ["tenantId"] = subscription.TenantId,
        ["displayName"] = subscription.DisplayName,
        ["state"] = "Enabled",
        ["subscriptionPolicies"] = new JsonObject
        {
            ["locationPlacementId"] = "Public_2014-09-01",
            ["quotaId"] = "PayAsYouGo_2014-09-01",
            ["spendingLimit"] = "Off",
        },
        ["authorizationSource"] = "RoleBased",
    };

    private static Task ListSubscriptionsAsync(ArmRequest request, CancellationToken ct)
    {
        var value = new JsonArray();
        foreach (var subscription in request.State.ListSubscriptions())
        {
            if (subscription.TenantId is null
                || string.Equals(subscription.TenantId, request.Principal.TenantId, StringComparison.OrdinalIgnoreCase))
            {
                value.Add(Subscription(subscription with { TenantId = request.Principal.TenantId }));
            }
        }

        return request.WriteJsonAsync(200, new JsonObject { ["value"] = value }, ct);
    }

    private static Task GetSubscriptionAsync(ArmRequest request, CancellationToken ct)
    {
        var subscription = request.State.FindSubscription(request.Segments[1])!;
        return request.WriteJsonAsync(
            200, Subscription(subscription with { TenantId = request.Principal.TenantId }), ct);
    }

    private static Task GetGroupAsync(ArmRequest request, CancellationToken ct)
    {
        var group = request.State.FindResourceGroup(request.Segments[1], request.Segments[3])!;
        return request.WriteJsonAsync(200, new JsonObject
        {
            ["id"] = $"/subscriptions/{group.SubscriptionId}/resourceGroups/{group.Name}",
            ["name"] = group.Name,
            ["type"] = "Microsoft.Resources/resourceGroups",
            ["location"] = group.Location,
            ["tags"] = new JsonObject(),
            ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
        }, ct);
    }
}
