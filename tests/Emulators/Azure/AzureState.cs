using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// The in-memory directory and resources behind <see cref="AzureEmulator"/>: tenants, service principals,
/// subscriptions, resource groups, identities with their federated credentials, clusters, role definitions and
/// assignments, deny rules and allow-lists. Thread-safe; names compare case-insensitively as in ARM, and read-backs are
/// snapshots.
/// </summary>
/// <param name="clock">The time creation dates and propagation windows are measured by.</param>
public sealed class AzureState(EmulatorClock? clock = null)
{
    /// <summary>The audience every federated credential must carry.</summary>
    public const string TokenExchangeAudience = "api://AzureADTokenExchange";

    private static readonly StringComparer Names = StringComparer.OrdinalIgnoreCase;

    private readonly Dictionary<string, HashSet<string>> _tenants = new(Names);
    private readonly Dictionary<(string Tenant, string Client), ServicePrincipal> _principals = [];
    private readonly Dictionary<string, AzureSubscription> _subscriptions = new(Names);
    private readonly Dictionary<string, AzureResourceGroup> _groups = new(Names);
    private readonly Dictionary<string, UserAssignedIdentity> _identities = new(Names);
    private readonly Dictionary<string, List<FederatedCredential>> _credentials = new(Names);
    private readonly Dictionary<string, ManagedCluster> _clusters = new(Names);
    private readonly HashSet<string> _identitiesBeingWritten = new(Names);
    private readonly List<AccessDenial> _denials = [];
    private readonly Dictionary<string, IReadOnlyList<AccessGrant>> _allowLists = new(Names);
    private readonly List<IssuedToken> _issuedTokens = [];
    private readonly List<TrustedIssuer> _trustedIssuers = [];
    private readonly List<(ServicePrincipal Principal, bool SystemAssigned)> _machineIdentities = [];
    private readonly HashSet<string> _regionsWithoutFederatedCredentials =
        new(Names) { "malaysiasouth", "newzealandnorth" };

    private readonly Dictionary<string, RoleDefinition> _roleDefinitions =
        BuiltInRoles.All.ToDictionary(r => r.Name, Names);

    private readonly List<RoleAssignment> _roleAssignments = [];

    private int _armWrites;
    private int _pendingPropagationFailures;
    private int _pendingIdentityNotVisibleFailures;
    private int _pendingPrincipalNotFoundFailures;

    /// <summary>The time creation dates and propagation windows are measured by.</summary>
    public EmulatorClock Clock { get; } = clock ?? new EmulatorClock();

    /// <summary>
    /// How long an identity created through ARM stays invisible to the federated credential API, which answers
    /// 404 "The parent user-assigned identity doesn't exist." meanwhile, as the RP does while a new identity
    /// replicates. Zero (off) by default so seeded worlds stay fast; seeded identities are always visible.
    /// </summary>
    public TimeSpan NewIdentityVisibilityDelay { get; set; }

    /// <summary>
    /// How many federated credential requests on an identity created through ARM fail first with that 404,
    /// whatever its age.
    /// </summary>
    public int PendingIdentityNotVisibleFailures
    {
        get => Volatile.Read(ref _pendingIdentityNotVisibleFailures);
        set => Volatile.Write(ref _pendingIdentityNotVisibleFailures, value);
    }

    /// <summary>
    /// How long a principal created through ARM (a new identity's service principal) is unknown to a role
    /// assignment PUT that names no principalType: 400 PrincipalNotFound, the directory replication delay.
    /// As in Azure, a PUT with a principalType skips the lookup. Zero (off) by default.
    /// </summary>
    public TimeSpan PrincipalReplicationDelay { get; set; }

    /// <summary>
    /// How many role assignment PUTs fail first with 400 PrincipalNotFound whatever they send, as still happens
    /// now and then right after an identity is created.
    /// </summary>
    public int PendingPrincipalNotFoundFailures
    {
        get => Volatile.Read(ref _pendingPrincipalNotFoundFailures);
        set => Volatile.Write(ref _pendingPrincipalNotFoundFailures, value);
    }

    /// <summary>How long one federated credential write holds its identity; a write meanwhile gets 409.</summary>
    public TimeSpan FederatedCredentialWriteDuration { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How many federated credentials one LIST page holds when the client sends no <c>$top</c>.</summary>
    public int FederatedCredentialPageSize { get; set; } = 10;

    /// <summary>The per-identity limit of federated credentials (20 in Azure).</summary>
    public int MaxFederatedCredentialsPerIdentity { get; set; } = 20;

    /// <summary>
    /// The audiences Resource Manager accepts; the public cloud's by default. A sovereign cloud stand-in sets its
    /// own (e.g. https://management.core.usgovcloudapi.net/) so a token for another cloud is refused.
    /// </summary>
    public IReadOnlyList<string> ResourceManagerAudiences { get; set; } =
    [
        "https://management.core.windows.net/",
        "https://management.core.windows.net",
        "https://management.azure.com/",
        "https://management.azure.com",
    ];

    /// <summary>The lifetime of issued access tokens; <c>expires_in</c> is one second less, as Entra sends.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// ARM writes (PUT, PATCH, POST, DELETE) that passed authentication and RBAC, any outcome; POST actions that
    /// only read, such as listClusterUserCredential, do not count.
    /// </summary>
    public int ArmWriteCount => Volatile.Read(ref _armWrites);

    /// <summary>Every access token issued so far, in order.</summary>
    public IReadOnlyList<IssuedToken> IssuedTokens
    {
        get
        {
            lock (Gate)
            {
                return [.. _issuedTokens];
            }
        }
    }

    /// <summary>The deny rules in force.</summary>
    public IReadOnlyList<AccessDenial> Denials
    {
        get
        {
            lock (Gate)
            {
                return [.. _denials];
            }
        }
    }

    /// <summary>Guards every collection; providers take it to make check-then-write atomic.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>Adds a tenant reachable by its id and any of <paramref name="domainNames"/>.</summary>
    public void AddTenant(string tenantId, params string[] domainNames)
    {
        lock (Gate)
        {
            if (!_tenants.TryGetValue(tenantId, out var names))
            {
                names = new HashSet<string>(Names);
                _tenants[tenantId] = names;
            }

            names.UnionWith(domainNames);
        }
    }

    /// <summary>Adds (or replaces) a service principal; its tenant is added when missing.</summary>
    public ServicePrincipal AddServicePrincipal(string tenantId, string clientId, string objectId, string? secret)
    {
        AddTenant(tenantId);
        var principal = new ServicePrincipal(tenantId, clientId, objectId, secret);
        lock (Gate)
        {
            _principals[(tenantId.ToLowerInvariant(), clientId.ToLowerInvariant())] = principal;
        }

        return principal;
    }

    /// <summary>
    /// Adds (or replaces, by tenant and client id) a service principal with its certificates and federated
    /// credentials; its tenant is added when missing.
    /// </summary>
    public ServicePrincipal AddServicePrincipal(ServicePrincipal principal)
    {
        AddTenant(principal.TenantId);
        lock (Gate)
        {
            _principals[(principal.TenantId.ToLowerInvariant(), principal.ClientId.ToLowerInvariant())] = principal;
        }

        return principal;
    }

    /// <summary>
    /// How many federated token exchanges that would match fail first with AADSTS70021, as they do for a few
    /// minutes while a new federated credential propagates through Entra ID.
    /// </summary>
    public int PendingPropagationFailures
    {
        get => Volatile.Read(ref _pendingPropagationFailures);
        set => Volatile.Write(ref _pendingPropagationFailures, value);
    }

    /// <summary>Takes one pending propagation failure; true when the exchange must fail.</summary>
    internal bool TakePropagationFailure() => TakeOne(ref _pendingPropagationFailures);

    /// <summary>Takes one pending not-visible failure; true when the request must fail.</summary>
    internal bool TakeIdentityNotVisibleFailure() => TakeOne(ref _pendingIdentityNotVisibleFailures);

    /// <summary>Takes one pending PrincipalNotFound failure; true when the request must fail.</summary>
    internal bool TakePrincipalNotFoundFailure() => TakeOne(ref _pendingPrincipalNotFoundFailures);

    /// <summary>
    /// Trusts tokens from an external issuer (signature checked with its signer) for federated credentials.
    /// </summary>
    public void TrustIssuer(string issuer, JwtSigner signer)
    {
        lock (Gate)
        {
            _trustedIssuers.RemoveAll(i => i.Issuer == issuer);
            _trustedIssuers.Add(new TrustedIssuer(issuer, signer));
        }
    }

    /// <summary>
    /// Gives the emulated agent machine a managed identity, as its managed identity endpoint hands out tokens:
    /// the system-assigned one (asked for without a client id) or a user-assigned one (asked for by client id).
    /// </summary>
    public void AddMachineIdentity(ServicePrincipal identity, bool systemAssigned)
    {
        AddTenant(identity.TenantId);
        lock (Gate)
        {
            _machineIdentities.RemoveAll(m => Names.Equals(m.Principal.ClientId, identity.ClientId));
            _machineIdentities.Add((identity, systemAssigned));
        }
    }

    /// <summary>Adds (or replaces) a subscription in a tenant.</summary>
    public void AddSubscription(string subscriptionId, string? tenantId, string displayName = "Emulated Subscription")
    {
        lock (Gate)
        {
            _subscriptions[subscriptionId] = new AzureSubscription(subscriptionId, tenantId, displayName);
        }
    }

    /// <summary>Adds a resource group (and its subscription when unknown); an existing one is kept.</summary>
    public AzureResourceGroup AddResourceGroup(string subscriptionId, string resourceGroup, string location = "eastus")
    {
        lock (Gate)
        {
            if (!_subscriptions.ContainsKey(subscriptionId))
            {
                _subscriptions[subscriptionId] = new AzureSubscription(subscriptionId, null, "Emulated Subscription");
            }

            var key = Key(subscriptionId, resourceGroup);
            if (!_groups.TryGetValue(key, out var group))
            {
                group = new AzureResourceGroup(subscriptionId, resourceGroup, location);
                _groups[key] = group;
            }

            return group;
        }
    }

    /// <summary>
    /// Adds (or replaces) a user-assigned identity, creating its resource group when missing and recording
    /// <paramref name="tenantId"/> as the subscription's tenant when that was unknown.
    /// </summary>
    public UserAssignedIdentity AddIdentity(
        string subscriptionId,
        string resourceGroup,
        string name,
        string location,
        string clientId,
        string principalId,
        string tenantId)
    {
        var group = AddResourceGroup(subscriptionId, resourceGroup, location);
        var identity = new UserAssignedIdentity(
            subscriptionId, group.Name, name, location, clientId, principalId, tenantId);
        lock (Gate)
        {
            if (_subscriptions[subscriptionId].TenantId is null)
            {
                _subscriptions[subscriptionId] = _subscriptions[subscriptionId] with { TenantId = tenantId };
            }

            PutIdentityLocked(identity);
        }

        return identity;
    }

    /// <summary>Adds (or replaces) an AKS cluster, creating its resource group when missing.</summary>
    public ManagedCluster AddCluster(
        string subscriptionId,
        string resourceGroup,
        string name,
        string location,
        string? issuerUrl,
        bool oidcIssuerEnabled,
        bool workloadIdentityEnabled)
    {
        var group = AddResourceGroup(subscriptionId, resourceGroup, location);
        var cluster = new ManagedCluster(
            subscriptionId, group.Name, name, location, issuerUrl, oidcIssuerEnabled, workloadIdentityEnabled);
        SetCluster(cluster);
        return cluster;
    }

    /// <summary>Replaces a cluster, e.g. <c>SetCluster(cluster with { DisableLocalAccounts = true })</c>.</summary>
    public void SetCluster(ManagedCluster cluster)
    {
        AddResourceGroup(cluster.SubscriptionId, cluster.ResourceGroup, cluster.Location);
        lock (Gate)
        {
            _clusters[Key(cluster.SubscriptionId, cluster.ResourceGroup, cluster.Name)] = cluster;
        }
    }

    /// <summary>
    /// Adds (or replaces, by name) a federated credential without any of the RP's checks; the audience
    /// defaults to <see cref="TokenExchangeAudience"/>.
    /// </summary>
    public FederatedCredential AddFederatedCredential(
        string subscriptionId,
        string resourceGroup,
        string identityName,
        string name,
        string issuer,
        string subject,
        params string[] audiences)
    {
        var credential = new FederatedCredential(
            name, issuer, subject, audiences.Length == 0 ? [TokenExchangeAudience] : [.. audiences]);
        lock (Gate)
        {
            var key = Key(subscriptionId, resourceGroup, identityName);
            if (!_identities.ContainsKey(key))
            {
                throw new InvalidOperationException($"Identity '{identityName}' is not seeded.");
            }

            SetFederatedCredentialLocked(key, credential);
        }

        return credential;
    }

    /// <summary>The identity, or null.</summary>
    public UserAssignedIdentity? GetIdentity(string subscriptionId, string resourceGroup, string name)
    {
        lock (Gate)
        {
            return _identities.GetValueOrDefault(Key(subscriptionId, resourceGroup, name));
        }
    }

    /// <summary>The cluster, or null.</summary>
    public ManagedCluster? GetCluster(string subscriptionId, string resourceGroup, string name)
    {
        lock (Gate)
        {
            return _clusters.GetValueOrDefault(Key(subscriptionId, resourceGroup, name));
        }
    }

    /// <summary>The identity's federated credentials in creation order (empty when the identity is unknown).</summary>
    public IReadOnlyList<FederatedCredential> GetFederatedCredentials(
        string subscriptionId,
        string resourceGroup,
        string identityName)
    {
        lock (Gate)
        {
            return _credentials.TryGetValue(Key(subscriptionId, resourceGroup, identityName), out var list)
                ? [.. list]
                : [];
        }
    }

    /// <summary>
    /// Denies <paramref name="principalObjectIdOrClientId"/> every action starting with
    /// <paramref name="actionPrefix"/> on scopes starting with <paramref name="scopePrefix"/> (empty = all).
    /// </summary>
    public void Deny(string principalObjectIdOrClientId, string actionPrefix, string scopePrefix)
    {
        lock (Gate)
        {
            _denials.Add(new AccessDenial(principalObjectIdOrClientId, actionPrefix, scopePrefix));
        }
    }

    /// <summary>Removes every deny rule.</summary>
    public void ClearDenials()
    {
        lock (Gate)
        {
            _denials.Clear();
        }
    }

    /// <summary>
    /// Grants <paramref name="principalObjectIdOrClientId"/> exactly <paramref name="grants"/>, as if its only role
    /// assignments gave those actions at those scopes: every other request it makes is answered 403
    /// AuthorizationFailed. Replaces an earlier allow-list for the principal; deny rules still apply on top.
    /// </summary>
    public void AllowOnly(string principalObjectIdOrClientId, IEnumerable<AccessGrant> grants)
    {
        lock (Gate)
        {
            _allowLists[principalObjectIdOrClientId] = [.. grants];
        }
    }

    /// <summary>Removes every allow-list (principals may do anything again, unless denied).</summary>
    public void ClearAllowLists()
    {
        lock (Gate)
        {
            _allowLists.Clear();
        }
    }

    /// <summary>Whether RBAC lets the principal do <paramref name="action"/> on <paramref name="scope"/>.</summary>
    internal bool IsAuthorized(string objectId, string clientId, string action, string scope)
    {
        lock (Gate)
        {
            if (_denials.Any(d => d.Matches(objectId, clientId, action, scope)))
            {
                return false;
            }

            var list = _allowLists.GetValueOrDefault(objectId) ?? _allowLists.GetValueOrDefault(clientId);
            return list is null || list.Any(g => g.Matches(action, scope));
        }
    }

    /// <summary>Marks a region as one where identities cannot hold federated credentials (405).</summary>
    public void DisableFederatedCredentialsIn(string location)
    {
        lock (Gate)
        {
            _regionsWithoutFederatedCredentials.Add(location);
        }
    }

    /// <summary>Adds (or replaces, by GUID) a role definition, e.g. a custom role.</summary>
    public void AddRoleDefinition(RoleDefinition definition)
    {
        lock (Gate)
        {
            _roleDefinitions[definition.Name] = definition;
        }
    }

    /// <summary>Every role assignment, in creation order.</summary>
    public IReadOnlyList<RoleAssignment> RoleAssignments
    {
        get
        {
            lock (Gate)
            {
                return [.. _roleAssignments];
            }
        }
    }

    /// <summary>
    /// Adds a role assignment without any of the RP's checks, e.g. one made by someone else under a random name.
    /// </summary>
    public RoleAssignment AddRoleAssignment(
        string scope,
        string name,
        string roleDefinitionName,
        string principalId,
        string? principalType = "ServicePrincipal")
    {
        var assignment = new RoleAssignment(
            name, scope.TrimEnd('/'), roleDefinitionName, principalId, principalType, Clock.UtcNow, "seed");
        lock (Gate)
        {
            _roleAssignments.RemoveAll(a => Names.Equals(a.Name, name) && Names.Equals(a.Scope, assignment.Scope));
            _roleAssignments.Add(assignment);
        }

        return assignment;
    }

    internal static string Key(params string[] parts) => string.Join('/', parts);

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            var pending = Volatile.Read(ref counter);
            if (pending <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, pending - 1, pending) == pending)
            {
                return true;
            }
        }
    }

    /// <summary>The only tenant, when exactly one is added (AD FS has no tenant in its paths).</summary>
    internal string? SoleTenantId
    {
        get
        {
            lock (Gate)
            {
                return _tenants.Count == 1 ? _tenants.Keys.First() : null;
            }
        }
    }

    internal bool TryResolveTenant(string tenant, out string tenantId)
    {
        lock (Gate)
        {
            foreach (var (id, domains) in _tenants)
            {
                if (Names.Equals(id, tenant) || domains.Contains(tenant))
                {
                    tenantId = id;
                    return true;
                }
            }
        }

        tenantId = "";
        return false;
    }

    internal ServicePrincipal? FindServicePrincipal(string tenantId, string clientId)
    {
        lock (Gate)
        {
            return _principals.GetValueOrDefault((tenantId.ToLowerInvariant(), clientId.ToLowerInvariant()));
        }
    }

    internal TrustedIssuer? FindTrustedIssuer(string issuer)
    {
        lock (Gate)
        {
            return _trustedIssuers.FirstOrDefault(i => i.Issuer == issuer);
        }
    }

    internal ServicePrincipal? FindMachineIdentity(string? clientId)
    {
        lock (Gate)
        {
            return clientId is null
                ? _machineIdentities.FirstOrDefault(m => m.SystemAssigned).Principal
                : _machineIdentities.FirstOrDefault(m => Names.Equals(m.Principal.ClientId, clientId)).Principal;
        }
    }

    /// <summary>
    /// A client that can sign in with a federated assertion: an app's service principal, or a user-assigned
    /// identity by its client id (its service principal has the identity's principal id as object id).
    /// </summary>
    internal (ServicePrincipal Principal, IReadOnlyList<FederatedCredential> Credentials)? FindFederatedClient(
        string tenantId,
        string clientId)
    {
        lock (Gate)
        {
            if (FindServicePrincipal(tenantId, clientId) is { } principal)
            {
                return (principal, principal.FederatedCredentials);
            }

            foreach (var (key, identity) in _identities)
            {
                if (Names.Equals(identity.ClientId, clientId) && Names.Equals(identity.TenantId, tenantId))
                {
                    return (new ServicePrincipal(tenantId, identity.ClientId, identity.PrincipalId, null),
                        [.. _credentials[key]]);
                }
            }

            return null;
        }
    }

    internal void RecordIssuedToken(IssuedToken token)
    {
        lock (Gate)
        {
            _issuedTokens.Add(token);
        }
    }

    internal void CountArmWrite() => Interlocked.Increment(ref _armWrites);

    internal AzureSubscription? FindSubscription(string subscriptionId)
    {
        lock (Gate)
        {
            return _subscriptions.GetValueOrDefault(subscriptionId);
        }
    }

    internal IReadOnlyList<AzureSubscription> ListSubscriptions()
    {
        lock (Gate)
        {
            return [.. _subscriptions.Values];
        }
    }

    internal AzureResourceGroup? FindResourceGroup(string subscriptionId, string resourceGroup)
    {
        lock (Gate)
        {
            return _groups.GetValueOrDefault(Key(subscriptionId, resourceGroup));
        }
    }

    internal bool SupportsFederatedCredentials(string location)
    {
        lock (Gate)
        {
            return !_regionsWithoutFederatedCredentials.Contains(location.Replace(" ", "", StringComparison.Ordinal));
        }
    }

    // The members below expect the caller to hold Gate.
    internal void PutIdentityLocked(UserAssignedIdentity identity)
    {
        var key = Key(identity.SubscriptionId, identity.ResourceGroup, identity.Name);
        _identities[key] = identity;
        if (!_credentials.ContainsKey(key))
        {
            _credentials[key] = [];
        }
    }

    internal UserAssignedIdentity? FindIdentityLocked(string key) => _identities.GetValueOrDefault(key);

    internal List<FederatedCredential> CredentialsLocked(string identityKey) => _credentials[identityKey];

    internal bool TryBeginCredentialWriteLocked(string identityKey) => _identitiesBeingWritten.Add(identityKey);

    internal void EndCredentialWriteLocked(string identityKey) => _identitiesBeingWritten.Remove(identityKey);

    internal bool SetFederatedCredentialLocked(string identityKey, FederatedCredential credential)
    {
        var list = _credentials[identityKey];
        var index = list.FindIndex(c => Names.Equals(c.Name, credential.Name));
        if (index >= 0)
        {
            // The name is immutable and keeps the case it was created with.
            list[index] = credential with { Name = list[index].Name };
            return false;
        }

        list.Add(credential);
        return true;
    }

    internal IReadOnlyList<RoleDefinition> RoleDefinitionsLocked() => [.. _roleDefinitions.Values];

    internal RoleDefinition? FindRoleDefinitionLocked(string name) => _roleDefinitions.GetValueOrDefault(name);

    internal List<RoleAssignment> RoleAssignmentsLocked() => _roleAssignments;

    /// <summary>
    /// Whether the directory knows <paramref name="objectId"/> (a service principal, or a user-assigned
    /// identity's principal), and when an identity's principal was created through ARM (null for seeded ones).
    /// </summary>
    internal bool TryFindPrincipalLocked(string objectId, out DateTimeOffset? createdOn)
    {
        createdOn = null;
        if (_principals.Values.Any(p => Names.Equals(p.ObjectId, objectId))
            || _machineIdentities.Any(m => Names.Equals(m.Principal.ObjectId, objectId)))
        {
            return true;
        }

        var identity = _identities.Values.FirstOrDefault(i => Names.Equals(i.PrincipalId, objectId));
        createdOn = identity?.CreatedOn;
        return identity is not null;
    }
}
