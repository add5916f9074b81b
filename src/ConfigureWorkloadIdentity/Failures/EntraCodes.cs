using System.Globalization;
using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Failures;

/// <summary>
/// The Entra ID AADSTS codes a run can meet, explained. Sources: Entra's token endpoint errors in the Azure contract
/// reference and the pitfalls reference (federation mismatches, an expired pipeline token, an unreachable issuer),
/// plus AADSTS53003 (Conditional Access for workload identities).
/// </summary>
internal static partial class EntraCodes
{
    private const string FederationMismatch =
        "No federated identity credential matches the token's issuer, subject and audience";

    /// <summary>Every code explained, in no particular order.</summary>
    public static readonly IReadOnlyList<EntraCode> All =
    [
        new(7000215, "The client secret is wrong or expired",
            "The service connection's secret is wrong or has expired (an expired or wrong secret is the most common "
            + "cause); it must be the secret's value, not its id. Create a new secret on the app registration and "
            + "update the service connection.",
            "Not expected for a ServiceAccount token; check the identity's client id."),
        new(7000218, "The request carried no client secret or assertion",
            "The service connection has no secret, certificate or federation configured; edit it.",
            "Not expected for a ServiceAccount token; check the identity's client id."),
        new(700016, "The application is not in the tenant",
            "The service connection's client id is not an app in its tenant: the tenant is wrong or the app was "
            + "deleted. Check the service connection's tenant and client id.",
            "The identity's client id is not known in its tenant yet (a new identity can take a minute) or was "
            + "deleted. Check the identity."),
        new(70021, FederationMismatch,
            "The service connection's federated credential no longer matches the pipeline's token (a renamed "
            + "organization, project or connection, or a converted issuer). Update the federated credential on the "
            + "app registration to the issuer and subject shown, or convert the service connection again.",
            "Make the federated credential's issuer and subject equal to the token's, byte for byte; right after "
            + "a change this is also what Entra answers until the credential propagates."),
        new(700211, FederationMismatch + " (no credential with this issuer)",
            "No federated credential on the app registration has the pipeline token's issuer; add or fix it.",
            "No federated credential on the identity has the cluster's issuer; use the cluster's issuer exactly "
            + "(trailing slash included)."),
        new(700212, FederationMismatch + " (no credential with this audience)",
            "The app registration's federated credential must have the audience api://AzureADTokenExchange.",
            "The federated credential's audience must be api://AzureADTokenExchange."),
        new(700213, FederationMismatch + " (no credential with this subject)",
            "The subject must be sc://<organization>/<project>/<service connection>; update it after a rename.",
            "The subject must be system:serviceaccount:<namespace>:<serviceAccount> of the pods' ServiceAccount."),
        new(7002138, "The subject matches only when letter case is ignored",
            "Entra compares subjects case-sensitively; make the federated credential's subject match exactly.",
            "Entra compares subjects case-sensitively; make the federated credential's subject match exactly."),
        new(700024, "The assertion is outside its valid time range",
            "The pipeline's OIDC token expired (it lives about 10 minutes); run again. The task fetches a fresh "
            + "token for each sign-in, so a repeat points at the agent's clock.",
            "The ServiceAccount token is expired or not yet valid: check the cluster's and the agent's clocks."),
        new(700027, "The assertion's signature did not verify",
            "The certificate the service connection signs with is not registered on the app registration (or was "
            + "replaced); upload its public certificate to the app or update the connection.",
            "The token's signature does not verify with the keys the issuer publishes (its JWKS): the cluster's "
            + "signing key changed or the issuer serves another cluster's keys. Reconcile the cluster's issuer "
            + "(az aks update) and run again."),
        new(90002, "The tenant was not found",
            "The service connection's tenant id or domain is wrong, or belongs to another cloud. Check the "
            + "connection's tenant and environment.",
            "The identity's tenant was not found in this cloud; check the service connection's environment."),
        new(70011, "The requested scope is invalid",
            "The cloud's Resource Manager audience is wrong for this tenant; check the connection's environment.",
            "The cloud's Resource Manager audience is wrong for this tenant; check the connection's environment."),
        new(50166, "Entra ID could not reach the external issuer's OIDC endpoint",
            "Entra ID could not fetch the pipeline token issuer's discovery document; Azure DevOps may be "
            + "degraded. Run again later.",
            "Entra ID could not fetch the cluster issuer's discovery document or JWKS. The issuer must be public; "
            + "reconcile it with az aks update (or check a self-managed issuer's hosting) and run again."),
        new(90061, "Entra ID's request to an external OIDC endpoint failed",
            "Entra ID could not reach the pipeline token's issuer; run again later.",
            "Entra ID could not reach the cluster's OIDC issuer endpoint; reconcile the cluster (az aks update) "
            + "and run again."),
        new(53003, "Access was blocked by Conditional Access policies",
            "A Conditional Access policy for workload identities blocks the service connection's app (for example "
            + "by location). Ask a tenant administrator to exclude it or allow the agent's network.",
            "A Conditional Access policy for workload identities blocks this identity; ask a tenant administrator "
            + "to exclude it or allow the cluster's network."),
    ];

    /// <summary>The first AADSTS code in Entra's error text, explained; null when none or not catalogued.</summary>
    public static EntraCode? Find(string? entraText)
    {
        var match = entraText is null ? Match.Empty : AadstsCode().Match(entraText);
        if (!match.Success)
        {
            return null;
        }

        var code = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        return All.FirstOrDefault(c => c.Code == code);
    }

    [GeneratedRegex("AADSTS([0-9]+)")]
    private static partial Regex AadstsCode();
}
