using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;

namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>
/// The Azure Resource Manager service connection as the agent hands it to the task, read from ENDPOINT_*
/// variables. Only what sign-in needs; secrets stay in here until the credential is built.
/// </summary>
internal sealed record AzureServiceConnection(
    string Id,
    string Scheme,
    string TenantId,
    string ClientId,
    string? ClientSecret,
    string SubscriptionId,
    AzureCloud Cloud)
{
    private static readonly string[] SupportedSchemes = ["ServicePrincipal"];

    /// <summary>
    /// Reads the connection named by the azureSubscription input. Every problem is an input error naming the
    /// connection and what it lacks.
    /// </summary>
    public static AzureServiceConnection Read(AgentEnvironment environment, List<InputError> errors)
    {
        const string input = InputNames.AzureSubscription;
        var raw = environment.Input(input)?.Trim() ?? "";
        if (!Guid.TryParse(raw, out var guid))
        {
            errors.Add(new InputError(input, raw.Length == 0
                ? $"Input '{input}' is required: choose an Azure Resource Manager service connection."
                : $"Input '{input}' ('{RequestReader.Echo(raw)}') is not a service connection id; the agent passes "
                  + "the connection's GUID. Choose the connection by name in the task's settings."));
            return Invalid;
        }

        // The agent names endpoint variables with the lower-case hyphenated GUID.
        var id = guid.ToString("D");
        var scheme = environment.EndpointScheme(id);
        if (scheme is null)
        {
            errors.Add(new InputError(input,
                $"Service connection {id} (input '{input}') was not passed to the task: no ENDPOINT_AUTH_SCHEME_{id} "
                + "variable. Check that the connection exists and that this pipeline is authorized to use it."));
            return Invalid;
        }

        if (!SupportedSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(new InputError(input,
                $"Service connection {id} uses the authentication scheme '{scheme}', which this version does not "
                + $"support yet. Supported: {string.Join(", ", SupportedSchemes)} (with a client secret)."));
            return Invalid;
        }

        string Required(string key, string what)
        {
            var value = environment.EndpointAuthParameter(id, key);
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(new InputError(input,
                    $"Service connection {id} has no '{key}' ({what}). Edit the service connection and fill it in."));
                return "";
            }

            return value.Trim();
        }

        var tenantId = Required("tenantid", "the Entra tenant id");
        var clientId = Required("serviceprincipalid", "the application (client) id");
        var authenticationType = environment.EndpointAuthParameter(id, "authenticationType") ?? "spnKey";
        string? secret = null;
        if (authenticationType.Equals("spnKey", StringComparison.OrdinalIgnoreCase))
        {
            secret = Required("serviceprincipalkey", "the client secret");
        }
        else
        {
            errors.Add(new InputError(input,
                $"Service connection {id} authenticates with '{authenticationType}', which this version does not "
                + "support yet. Supported: spnKey (a client secret)."));
        }

        var subscriptionId = environment.EndpointData(id, "subscriptionId")?.Trim() ?? "";
        if (InputRules.SubscriptionId(subscriptionId) is { } reason)
        {
            errors.Add(new InputError(input, subscriptionId.Length == 0
                ? $"Service connection {id} has no subscription id; use a connection scoped to a subscription."
                : $"Service connection {id} subscription id ('{RequestReader.Echo(subscriptionId)}') {reason}"));
        }

        var cloud = ReadCloud(environment, id, errors);
        return new AzureServiceConnection(id, scheme, tenantId, clientId, secret, subscriptionId, cloud);
    }

    private static AzureServiceConnection Invalid =>
        new("", "", "", "", null, "", AzureCloud.Public);

    /// <summary>
    /// The connection's cloud: the named environment's known endpoints, each replaced by what the connection
    /// itself carries (its URL, authority and ARM audience), so private and sovereign clouds work as configured.
    /// </summary>
    private static AzureCloud ReadCloud(AgentEnvironment environment, string id, List<InputError> errors)
    {
        var name = environment.EndpointData(id, "environment");
        var known = string.IsNullOrWhiteSpace(name) ? AzureCloud.Public : AzureCloud.Find(name);
        if (known is null)
        {
            errors.Add(new InputError(InputNames.AzureSubscription,
                $"Service connection {id} is for the Azure environment '{name}', which is not supported. "
                + "Supported: AzureCloud, AzureUSGovernment, AzureChinaCloud."));
            return AzureCloud.Public;
        }

        Uri Endpoint(string? value, Uri fallback, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return fallback;
            }

            if (Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            {
                return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
            }

            errors.Add(new InputError(InputNames.AzureSubscription,
                $"Service connection {id} has an invalid {what} ('{RequestReader.Echo(value)}'); "
                + "it must be an https URL."));
            return fallback;
        }

        var armUrl = Endpoint(environment.EndpointUrl(id), known.ResourceManager, "Resource Manager URL");
        var authority = Endpoint(
            environment.EndpointData(id, "activeDirectoryAuthority")
                ?? environment.EndpointData(id, "environmentAuthorityUrl"),
            known.AuthorityHost,
            "authority");
        var audience = environment.EndpointData(id, "activeDirectoryServiceEndpointResourceId");
        return known with
        {
            ResourceManager = armUrl,
            AuthorityHost = authority,
            ResourceManagerAudience = string.IsNullOrWhiteSpace(audience)
                ? known.ResourceManagerAudience
                : audience.Trim(),
        };
    }
}
