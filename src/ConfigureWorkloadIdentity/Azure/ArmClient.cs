using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>
/// The few Resource Manager operations this task needs (Microsoft.ManagedIdentity and
/// Microsoft.ContainerService), over an Azure.Core pipeline with bearer-token auth and the standard retries.
/// </summary>
internal sealed class ArmClient
{
    /// <summary>The first stable api-version with federated identity credentials.</summary>
    public const string ManagedIdentityApiVersion = "2023-01-31";

    /// <summary>A stable api-version that reports securityProfile.workloadIdentity.</summary>
    public const string ContainerServiceApiVersion = "2024-09-01";

    private const string ConcurrentWritesCode = "ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity";
    private const int MaxConcurrentWriteAttempts = 6;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly TimeSpan _concurrentWriteBackoff;

    /// <summary>Creates a client for one cloud's Resource Manager endpoint.</summary>
    public ArmClient(HttpPipeline pipeline, Uri endpoint, TimeSpan? concurrentWriteBackoff = null)
    {
        _pipeline = pipeline;
        _endpoint = endpoint;
        _concurrentWriteBackoff = concurrentWriteBackoff ?? TimeSpan.FromSeconds(1);
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
    public async Task<IReadOnlyList<FederatedIdentityCredential>> ListFederatedCredentialsAsync(
        string identityId,
        CancellationToken cancellationToken)
    {
        var all = new List<FederatedIdentityCredential>();
        Uri? next = BuildUri($"{identityId}/federatedIdentityCredentials", ManagedIdentityApiVersion);
        while (next is not null)
        {
            var page = await SendAsync(
                RequestMethod.Get,
                next,
                null,
                r => Deserialize(r, ArmJsonContext.Default.FederatedIdentityCredentialPage),
                cancellationToken);
            all.AddRange(page.Value ?? []);
            next = string.IsNullOrEmpty(page.NextLink) ? null : new Uri(page.NextLink);
        }

        return all;
    }

    /// <summary>
    /// Creates or updates a federated credential. Azure rejects concurrent credential writes to one identity
    /// with 409; that answer is retried with exponential backoff and jitter.
    /// </summary>
    /// <returns>The stored credential, and whether ARM created it (201) rather than updated it (200).</returns>
    public async Task<(FederatedIdentityCredential Credential, bool Created)> PutFederatedCredentialAsync(
        string identityId,
        string name,
        FederatedIdentityCredentialProperties properties,
        CancellationToken cancellationToken)
    {
        var uri = BuildUri($"{identityId}/federatedIdentityCredentials/{Uri.EscapeDataString(name)}",
            ManagedIdentityApiVersion);
        var body = BinaryData.FromObjectAsJson(
            new FederatedIdentityCredentialBody(properties), ArmJsonContext.Default.FederatedIdentityCredentialBody);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendAsync(
                    RequestMethod.Put,
                    uri,
                    body,
                    r => (Deserialize(r, ArmJsonContext.Default.FederatedIdentityCredential), r.Status == 201),
                    cancellationToken);
            }
            catch (ArmRequestException ex) when (ex.Status == 409 && ex.Code == ConcurrentWritesCode
                && attempt < MaxConcurrentWriteAttempts)
            {
                var backoff = _concurrentWriteBackoff * Math.Pow(2, attempt - 1);
                var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)backoff.TotalMilliseconds / 2 + 1));
                await Task.Delay(backoff + jitter, cancellationToken);
            }
        }
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

    private Uri BuildUri(string path, string apiVersion) =>
        new(_endpoint, $"{path.TrimStart('/')}?api-version={apiVersion}");

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
