using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>
/// The few Resource Manager operations this task needs (Microsoft.ManagedIdentity, Microsoft.ContainerService
/// and Microsoft.Authorization), over an Azure.Core pipeline with bearer-token auth and the standard retries.
/// </summary>
internal sealed partial class ArmClient
{
    /// <summary>The first stable api-version with federated identity credentials.</summary>
    public const string ManagedIdentityApiVersion = "2023-01-31";

    /// <summary>A stable api-version that reports securityProfile.workloadIdentity.</summary>
    public const string ContainerServiceApiVersion = "2024-09-01";

    /// <summary>The stable api-version of role definitions and assignments az and the SDKs use.</summary>
    public const string AuthorizationApiVersion = "2022-04-01";

    private const string ConcurrentWritesCode = "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity";
    private const string AuthorizationProvider = "/providers/Microsoft.Authorization";
    private const int MaxConcurrentWriteAttempts = 6;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly ArmRetrySettings _retries;

    // Identities this client created: a 404 from their federated credential API means "not replicated yet".
    private readonly ConcurrentDictionary<string, bool> _createdIdentities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a client for one cloud's Resource Manager endpoint.</summary>
    public ArmClient(HttpPipeline pipeline, Uri endpoint, ArmRetrySettings? retries = null)
    {
        _pipeline = pipeline;
        _endpoint = endpoint;
        _retries = retries ?? new ArmRetrySettings();
    }

    /// <summary>
    /// Builds the pipeline: Azure.Core's defaults (retries on 408, 429 and 5xx, honouring Retry-After) plus
    /// bearer-token auth for the cloud's ARM scope.
    /// </summary>
    public static HttpPipeline CreatePipeline(TokenCredential credential, AzureCloud cloud) =>
        HttpPipelineBuilder.Build(
            new ArmPipelineOptions(),
            new BearerTokenAuthenticationPolicy(credential, cloud.ResourceManagerScope));

    /// <summary>Reads a user-assigned identity.</summary>
    public Task<UserAssignedIdentity> GetIdentityAsync(string identityId, CancellationToken cancellationToken) =>
        GetAsync(identityId, ManagedIdentityApiVersion, ArmJsonContext.Default.UserAssignedIdentity, cancellationToken);

    /// <summary>
    /// Creates a user-assigned identity, or updates an existing one's tags (its location cannot change: ARM
    /// answers 400 InvalidResourceLocation). A created identity's federated credential writes then wait out its
    /// replication (see <see cref="PutFederatedCredentialAsync"/>).
    /// </summary>
    /// <returns>The identity with its client, principal and tenant ids, and whether ARM created it (201).</returns>
    public async Task<(UserAssignedIdentity Identity, bool Created)> CreateOrUpdateIdentityAsync(
        string identityId,
        string location,
        IReadOnlyDictionary<string, string>? tags,
        CancellationToken cancellationToken)
    {
        var body = BinaryData.FromObjectAsJson(
            new UserAssignedIdentityBody(location, tags ?? new Dictionary<string, string>()),
            ArmJsonContext.Default.UserAssignedIdentityBody);
        var result = await SendAsync(
            RequestMethod.Put,
            BuildUri(identityId, ManagedIdentityApiVersion),
            body,
            r => (Deserialize(r, ArmJsonContext.Default.UserAssignedIdentity), r.Status == 201),
            cancellationToken);
        if (result.Item2)
        {
            _createdIdentities[identityId.TrimEnd('/')] = true;
        }

        return result;
    }

    /// <summary>Reads an AKS managed cluster.</summary>
    public Task<ManagedCluster> GetClusterAsync(string clusterId, CancellationToken cancellationToken) =>
        GetAsync(clusterId, ContainerServiceApiVersion, ArmJsonContext.Default.ManagedCluster, cancellationToken);

    /// <summary>
    /// The cluster's kubeconfig from listClusterUserCredential, or listClusterAdminCredential when
    /// <paramref name="admin"/> (refused with 400 on clusters with local accounts disabled).
    /// </summary>
    public async Task<string> GetClusterKubeconfigAsync(
        string clusterId,
        bool admin,
        CancellationToken cancellationToken)
    {
        var action = admin ? "listClusterAdminCredential" : "listClusterUserCredential";
        var results = await SendAsync(
            RequestMethod.Post,
            BuildUri($"{clusterId}/{action}", ContainerServiceApiVersion),
            null,
            r => Deserialize(r, ArmJsonContext.Default.CredentialResults),
            cancellationToken);
        var value = results.Kubeconfigs?.FirstOrDefault(k => k.Value is { Length: > 0 })?.Value
            ?? throw new ArmRequestException(
                "POST", $"{clusterId}/{action}", 200, "NoKubeconfig", "the answer held no kubeconfig.", null, null);
        return System.Text.Encoding.UTF8.GetString(value);
    }

    /// <summary>Lists every federated credential of an identity, following nextLink through all pages.</summary>
    public Task<IReadOnlyList<FederatedIdentityCredential>> ListFederatedCredentialsAsync(
        string identityId,
        CancellationToken cancellationToken) =>
        ListPagesAsync(
            BuildUri($"{identityId}/federatedIdentityCredentials", ManagedIdentityApiVersion),
            ArmJsonContext.Default.FederatedIdentityCredentialPage,
            p => (p.Value, p.NextLink),
            cancellationToken);

    /// <summary>
    /// Creates or updates a federated credential. Azure rejects concurrent credential writes to one identity
    /// with 409; that answer is retried with exponential backoff and jitter. On an identity this client created,
    /// 404 (the RP's "The parent user-assigned identity doesn't exist." while the identity replicates) is
    /// retried for up to <see cref="ArmRetrySettings.NewIdentityDelays"/>.
    /// </summary>
    /// <returns>The stored credential, and whether ARM created it (201) rather than updated it (200).</returns>
    public Task<(FederatedIdentityCredential Credential, bool Created)> PutFederatedCredentialAsync(
        string identityId,
        string name,
        FederatedIdentityCredentialProperties properties,
        CancellationToken cancellationToken)
    {
        var uri = CredentialUri(identityId, name);
        var body = BinaryData.FromObjectAsJson(
            new FederatedIdentityCredentialBody(properties), ArmJsonContext.Default.FederatedIdentityCredentialBody);
        return WriteCredentialAsync(
            identityId,
            () => SendAsync(
                RequestMethod.Put,
                uri,
                body,
                r => (Deserialize(r, ArmJsonContext.Default.FederatedIdentityCredential), r.Status == 201),
                cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// Deletes a federated credential, with the same retries as <see cref="PutFederatedCredentialAsync"/>
    /// (a delete is a write to the identity).
    /// </summary>
    /// <returns>True when it existed (200), false when it was already absent (204).</returns>
    public Task<bool> DeleteFederatedCredentialAsync(
        string identityId,
        string name,
        CancellationToken cancellationToken)
    {
        var uri = CredentialUri(identityId, name);
        return WriteCredentialAsync(
            identityId,
            () => SendAsync(RequestMethod.Delete, uri, null, r => r.Status == 200, cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// The role definition to grant at <paramref name="scope"/>. A GUID or a roleDefinitions id
    /// (/providers/… or /subscriptions/{id}/providers/…) is read by its GUID at the scope; a name is looked
    /// up with <c>$filter=roleName eq '…'</c> and must match whole (ARM ignores case).
    /// </summary>
    /// <exception cref="RoleDefinitionNotFoundException">No such role is assignable at the scope.</exception>
    /// <exception cref="ArgumentException">The value looks like an id but is not a valid one.</exception>
    public async Task<RoleDefinition> FindRoleDefinitionAsync(
        string scope,
        string roleNameOrId,
        CancellationToken cancellationToken)
    {
        var definitions = $"{scope.TrimEnd('/')}{AuthorizationProvider}/roleDefinitions";
        if (RoleDefinitionGuidOf(roleNameOrId) is { } guid)
        {
            try
            {
                return await GetAsync(
                    $"{definitions}/{guid}",
                    AuthorizationApiVersion,
                    ArmJsonContext.Default.RoleDefinition,
                    cancellationToken);
            }
            catch (ArmRequestException ex) when (ex.Status == 404)
            {
                throw new RoleDefinitionNotFoundException(roleNameOrId, scope, ex);
            }
        }

        if (LooksLikeRoleId(roleNameOrId))
        {
            throw new ArgumentException(
                $"'{roleNameOrId}' is neither a role GUID nor a roleDefinitions id "
                + "(/subscriptions/{id}/providers/Microsoft.Authorization/roleDefinitions/{guid}).",
                nameof(roleNameOrId));
        }

        var filter = "roleName eq '" + roleNameOrId.Replace("'", "''", StringComparison.Ordinal) + "'";
        var roles = await ListPagesAsync(
            BuildUri(definitions, AuthorizationApiVersion, "$filter=" + Uri.EscapeDataString(filter)),
            ArmJsonContext.Default.RoleDefinitionPage,
            p => (p.Value, p.NextLink),
            cancellationToken);

        // ARM already matches the whole name; checking again keeps a lax proxy or RP from granting a lookalike.
        return roles.FirstOrDefault(r => string.Equals(
                r.Properties?.RoleName, roleNameOrId, StringComparison.OrdinalIgnoreCase))
            ?? throw new RoleDefinitionNotFoundException(roleNameOrId, scope);
    }

    /// <summary>
    /// Assigns a role to a service principal (a managed identity's principalId) at a scope, under a name the
    /// caller chooses (see RoleAssignmentNaming) so reruns hit the same assignment. 409 RoleAssignmentExists
    /// (the same grant under another name) counts as success. 400 PrincipalNotFound, a new identity not yet
    /// replicated in the directory, is retried for up to <see cref="ArmRetrySettings.PrincipalNotFoundDelays"/>.
    /// </summary>
    /// <returns>
    /// The assignment (null when ARM answered 409, which carries none), and whether ARM created it (201) rather
    /// than finding it in place (200 or 409).
    /// </returns>
    public async Task<(RoleAssignment? Assignment, bool Created)> PutRoleAssignmentAsync(
        string scope,
        string assignmentName,
        string roleDefinitionId,
        string principalId,
        CancellationToken cancellationToken)
    {
        var uri = BuildUri(AssignmentPath(scope, assignmentName), AuthorizationApiVersion);
        // principalType lets ARM skip the directory lookup a new identity's principal may not pass yet.
        var properties = new RoleAssignmentProperties(roleDefinitionId, principalId, "ServicePrincipal", null);
        var body = BinaryData.FromObjectAsJson(
            new RoleAssignmentBody(properties), ArmJsonContext.Default.RoleAssignmentBody);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendAsync(
                    RequestMethod.Put,
                    uri,
                    body,
                    r => ((RoleAssignment?)Deserialize(r, ArmJsonContext.Default.RoleAssignment), r.Status == 201),
                    cancellationToken);
            }
            catch (ArmRequestException ex) when (ex is { Status: 409, Code: "RoleAssignmentExists" })
            {
                return (null, false);
            }
            catch (ArmRequestException ex) when (ex is { Status: 400, Code: "PrincipalNotFound" }
                && attempt < _retries.PrincipalNotFoundDelays.Count)
            {
                await _retries.DelayAsync(_retries.PrincipalNotFoundDelays[attempt], cancellationToken);
            }
        }
    }

    /// <summary>
    /// The role assignments of a principal that apply at a scope: at it, inherited from above and, as ARM
    /// lists them, below it. Follows nextLink through all pages.
    /// </summary>
    public Task<IReadOnlyList<RoleAssignment>> ListRoleAssignmentsAsync(
        string scope,
        string principalId,
        CancellationToken cancellationToken) =>
        ListPagesAsync(
            BuildUri(
                $"{scope.TrimEnd('/')}{AuthorizationProvider}/roleAssignments",
                AuthorizationApiVersion,
                "$filter=" + Uri.EscapeDataString($"principalId eq '{principalId}'")),
            ArmJsonContext.Default.RoleAssignmentPage,
            p => (p.Value, p.NextLink),
            cancellationToken);

    /// <summary>Deletes a role assignment by its full id.</summary>
    /// <returns>True when it existed (200), false when it was already absent (204).</returns>
    public Task<bool> DeleteRoleAssignmentAsync(string roleAssignmentId, CancellationToken cancellationToken) =>
        SendAsync(
            RequestMethod.Delete,
            BuildUri(roleAssignmentId, AuthorizationApiVersion),
            null,
            r => r.Status == 200,
            cancellationToken);

    /// <summary>
    /// The role GUID a value names when it is a GUID or a roleDefinitions id, or null (then it is a name, or
    /// malformed).
    /// </summary>
    internal static string? RoleDefinitionGuidOf(string value)
    {
        if (Guid.TryParseExact(value, "D", out var guid))
        {
            return guid.ToString();
        }

        var match = RoleDefinitionIdPattern().Match(value);
        return match.Success ? match.Groups["guid"].Value.ToLowerInvariant() : null;
    }

    [GeneratedRegex(
        @"^(?:/subscriptions/[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})?"
        + @"/providers/Microsoft\.Authorization/roleDefinitions/"
        + @"(?<guid>[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12})\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RoleDefinitionIdPattern();

    /// <summary>
    /// True when a value is meant as an id (it starts with '/', or is GUID-like), so that a malformed one is an
    /// error rather than a role name to look up.
    /// </summary>
    internal static bool LooksLikeRoleId(string value) =>
        value.StartsWith('/')
        || (value.Length is >= 32 and <= 38 && value.All(c => char.IsAsciiHexDigit(c) || c is '-' or '{' or '}'));

    private static string AssignmentPath(string scope, string assignmentName) =>
        $"{scope.TrimEnd('/')}{AuthorizationProvider}/roleAssignments/{Uri.EscapeDataString(assignmentName)}";

    private Uri CredentialUri(string identityId, string name) =>
        BuildUri($"{identityId}/federatedIdentityCredentials/{Uri.EscapeDataString(name)}",
            ManagedIdentityApiVersion);

    private async Task<T> WriteCredentialAsync<T>(
        string identityId,
        Func<Task<T>> writeAsync,
        CancellationToken cancellationToken)
    {
        var concurrent = 0;
        var notVisible = 0;
        while (true)
        {
            try
            {
                return await writeAsync();
            }
            catch (ArmRequestException ex) when (ex.Status == 409 && ex.Code == ConcurrentWritesCode
                && ++concurrent < MaxConcurrentWriteAttempts)
            {
                var backoff = _retries.ConcurrentWriteBackoff * Math.Pow(2, concurrent - 1);
                var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)backoff.TotalMilliseconds / 2 + 1));
                await _retries.DelayAsync(backoff + jitter, cancellationToken);
            }
            catch (ArmRequestException ex) when (ex.Status == 404
                && _createdIdentities.ContainsKey(identityId.TrimEnd('/'))
                && notVisible < _retries.NewIdentityDelays.Count)
            {
                await _retries.DelayAsync(_retries.NewIdentityDelays[notVisible++], cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<TItem>> ListPagesAsync<TPage, TItem>(
        Uri first,
        JsonTypeInfo<TPage> pageType,
        Func<TPage, (IReadOnlyList<TItem>? Value, string? NextLink)> read,
        CancellationToken cancellationToken)
    {
        var all = new List<TItem>();
        Uri? next = first;
        while (next is not null)
        {
            var (value, nextLink) = read(await SendAsync(
                RequestMethod.Get, next, null, r => Deserialize(r, pageType), cancellationToken));
            all.AddRange(value ?? []);
            next = string.IsNullOrEmpty(nextLink) ? null : new Uri(nextLink);
        }

        return all;
    }

    private async Task<T> GetAsync<T>(
        string resourceId,
        string apiVersion,
        JsonTypeInfo<T> typeInfo,
        CancellationToken cancellationToken)
    {
        return await SendAsync(
            RequestMethod.Get,
            BuildUri(resourceId, apiVersion),
            null,
            r => Deserialize(r, typeInfo),
            cancellationToken);
    }

    private Uri BuildUri(string path, string apiVersion, string? query = null) =>
        new(_endpoint, $"{path.TrimStart('/')}?{(query is null ? "" : query + "&")}api-version={apiVersion}");

    private async Task<T> SendAsync<T>(
        RequestMethod method,
        Uri uri,
        BinaryData? body,
        Func<Response, T> read,
        CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            message.Request.Headers.Add("Content-Type", "application/json");
            message.Request.Content = RequestContent.Create(body);
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (RequestFailedException ex)
        {
            throw ArmRequestException.Unreachable(method.Method, uri, ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions[^1] is TaskCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            // Azure.Core's network timeout ended the last attempt: ARM took the request but never answered.
            throw ArmRequestException.TimedOut(method.Method, uri, ex.InnerExceptions.Count, ex);
        }
        catch (AggregateException ex)
        {
            // Azure.Core's retry policy gives up with every attempt's failure in one AggregateException.
            throw ArmRequestException.Unreachable(method.Method, uri, ex);
        }

        var response = message.Response;
        if (response.Status >= 400)
        {
            throw ToException(method, uri, response);
        }

        try
        {
            return read(response);
        }
        catch (JsonException ex)
        {
            throw ArmRequestException.NotJson(method.Method, uri, response.Status, ex);
        }
    }

    private static ArmRequestException ToException(RequestMethod method, Uri uri, Response response)
    {
        ArmErrorDetail? error = null;
        try
        {
            var body = response.Content.ToMemory().Span;
            error = JsonSerializer.Deserialize(body, ArmJsonContext.Default.ArmErrorResponse)?.Error;
        }
        catch (JsonException)
        {
            // Not a CloudError body (a gateway page, say): the status and ids still tell the story.
        }

        response.Headers.TryGetValue("x-ms-request-id", out var requestId);
        response.Headers.TryGetValue("x-ms-correlation-request-id", out var correlationId);
        return new ArmRequestException(
            method.Method, uri.AbsolutePath, response.Status, error?.Code, error?.Message, requestId, correlationId);
    }

    private static T Deserialize<T>(Response response, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(response.Content.ToMemory().Span, typeInfo)
        ?? throw new InvalidDataException(
            $"ARM answered {response.Status} with an empty body where JSON was expected.");
}
