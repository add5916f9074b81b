using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// metav1.Status failures as apimachinery's <c>api/errors</c> constructors build them: member order, omitempty
/// details and message formats included.
/// </summary>
internal static class KubernetesStatus
{
    /// <summary>The patch content types a core resource accepts, in the apiserver's order.</summary>
    public static readonly string[] PatchTypes =
    [
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/strategic-merge-patch+json",
        "application/apply-patch+yaml",
    ];

    public static KubernetesApiException Unauthorized() =>
        Failure(401, "Unauthorized", "Unauthorized", details: null);

    public static KubernetesApiException PathNotFound() =>
        Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static KubernetesApiException MethodNotAllowed() =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
            new JsonObject());

    public static KubernetesApiException NotFound(string resource, string name) =>
        Failure(404, "NotFound", $"{resource} {GoText.Quote(name)} not found", Details(name, resource));

    public static KubernetesApiException AlreadyExists(string resource, string name, bool beingDeleted)
    {
        var message = $"{resource} {GoText.Quote(name)} already exists";
        if (beingDeleted)
        {
            message = "object is being deleted: " + message;
        }

        return Failure(409, "AlreadyExists", message, Details(name, resource));
    }

    /// <summary>The RBAC authorizer's refusal (responsewriters.Forbidden wrapped by NewForbidden).</summary>
    public static KubernetesApiException RbacForbidden(
        string user, string verb, string resource, string? namespaceName, string? name, string group = "")
    {
        var scope = string.IsNullOrEmpty(namespaceName)
            ? "at the cluster scope"
            : $"in the namespace {GoText.Quote(namespaceName)}";
        var detail = GoText.HtmlSanitize(
            $"User {GoText.Quote(user)} cannot {verb} resource {GoText.Quote(resource)} in API group "
            + $"{GoText.Quote(group)} {scope}");
        // The Status names the group-qualified resource without its subresource (deployments.apps, serviceaccounts);
        // the detail names the subresource too (serviceaccounts/token), as responsewriters.ForbiddenStatusError.
        var qualified = resource.Split('/')[0] + (group.Length > 0 ? "." + group : "");
        var forbidden = Forbidden(qualified, name, detail, causes: null);
        if (forbidden.Status["details"] is JsonObject details)
        {
            // StatusDetails' order on the wire: name, group, kind.
            details.Remove("kind");
            if (group.Length > 0)
            {
                details["group"] = group;
            }

            details["kind"] = resource.Split('/')[0];
        }

        return forbidden;
    }

    /// <summary>NewForbidden: <c>%s %q is forbidden: %v</c>, or without the name when there is none.</summary>
    public static KubernetesApiException Forbidden(string resource, string? name, string detail, JsonArray? causes)
    {
        var message = string.IsNullOrEmpty(name)
            ? $"{resource} is forbidden: {detail}"
            : $"{resource} {GoText.Quote(name)} is forbidden: {detail}";
        var details = Details(name, resource);
        if (causes is not null)
        {
            details["causes"] = causes;
        }

        return Failure(403, "Forbidden", message, details);
    }

    public static KubernetesApiException NamespaceTerminating(string resource, string name, string namespaceName)
    {
        var cause = new JsonObject
        {
            ["reason"] = "NamespaceTerminating",
            ["message"] = $"namespace {namespaceName} is being terminated",
            ["field"] = "metadata.namespace",
        };
        return Forbidden(
            resource,
            name,
            $"unable to create new content in namespace {namespaceName} because it is being terminated",
            [cause]);
    }

    public static KubernetesApiException BadRequest(string message) =>
        Failure(400, "BadRequest", message, details: null);

    public static KubernetesApiException UnsupportedMediaType() =>
        Failure(415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: "
            + string.Join(", ", PatchTypes),
            details: null);

    /// <summary>NewInvalid; kind and group print as ServiceAccount or PatchOptions.meta.k8s.io.</summary>
    public static KubernetesApiException Invalid(
        string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var error in errors)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = error.Reason,
                ["message"] = error.Body,
                ["field"] = error.Field,
            });
        }

        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        details["kind"] = kind;
        details["causes"] = causes;

        // utilerrors.Aggregate: one error prints bare, several print as [a, b]; duplicates are dropped.
        var texts = errors.Select(e => e.Text).Distinct(StringComparer.Ordinal).ToList();
        var aggregate = texts.Count == 1 ? texts[0] : "[" + string.Join(", ", texts) + "]";
        var groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
        return Failure(422, "Invalid", $"{groupKind} {GoText.Quote(name)} is invalid: {aggregate}", details);
    }

    /// <summary>NewApplyConflict with the message getConflictMessage builds.</summary>
    public static KubernetesApiException ApplyConflict(IReadOnlyList<FieldConflict> conflicts)
    {
        var causes = new JsonArray();
        foreach (var conflict in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with {conflict.Manager}",
                ["field"] = conflict.Path,
            });
        }

        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {conflicts[0].Manager}: {conflicts[0].Path}";
        }
        else
        {
            var lines = new List<string>();
            foreach (var group in conflicts.GroupBy(c => c.SortKey).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                lines.Add($"conflicts with {group.First().Manager}:");
                lines.AddRange(group.Select(c => $"- {c.Path}"));
            }

            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return Failure(409, "Conflict", message, new JsonObject { ["causes"] = causes });
    }

    /// <summary>
    /// Optimistic concurrency's refusal (NewConflict): "Operation cannot be fulfilled on {resource} "{name}":
    /// {detail}", e.g. a DELETE whose preconditions no longer hold.
    /// </summary>
    public static KubernetesApiException Conflict(string resource, string name, string detail) =>
        Failure(409, "Conflict", $"Operation cannot be fulfilled on {resource} {GoText.Quote(name)}: {detail}",
            Details(name, resource));

    private static JsonObject Details(string? name, string resource)
    {
        var details = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            details["name"] = name;
        }

        details["kind"] = resource;
        return details;
    }

    private static KubernetesApiException Failure(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return new KubernetesApiException(code, status);
    }
}
