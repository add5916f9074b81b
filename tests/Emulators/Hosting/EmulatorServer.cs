using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConfigureWorkloadIdentity.Emulators.Hosting;

/// <summary>
/// A loopback HTTPS server on an OS-chosen port with a request log and per-route fault injection, the common
/// ground of every emulator. Subclasses map their routes in <see cref="MapRoutes"/>.
/// </summary>
public abstract class EmulatorServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<FaultRule> _faults = new();
    private WebApplication? _app;

    /// <summary>The server's base address, e.g. https://127.0.0.1:41234/.</summary>
    public Uri BaseUri { get; private set; } = new("https://127.0.0.1/");

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>Adds a fault; the first matching rule that still fires wins.</summary>
    public void InjectFault(FaultRule rule) => _faults.Enqueue(rule);

    /// <summary>Removes every fault.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Starts listening on 127.0.0.1 with the given certificate.</summary>
    public async Task StartAsync(TestCertificateAuthority ca, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AllowSynchronousIO = false;
            options.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    // By SNI, so an emulator can also answer for a public host name mapped to it.
                    ServerCertificateSelector = (_, name) => ca.ServerCertificateFor(name),
                    // Asked for, not required; the emulator decides what a presented certificate proves.
                    ClientCertificateMode = AcceptsClientCertificates
                        ? ClientCertificateMode.AllowCertificate
                        : ClientCertificateMode.NoCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            });
        });
        builder.Services.AddRouting();
        var app = builder.Build();
        app.Use(RecordAndInjectAsync);
        MapRoutes(app);
        await app.StartAsync(cancellationToken);
        var address = app.Urls.First();
        BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        _app = app;
    }

    /// <inheritdoc />
    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Whether clients may present TLS client certificates (the Kubernetes API server accepts them).</summary>
    protected virtual bool AcceptsClientCertificates => false;

    /// <summary>Maps the emulator's routes.</summary>
    protected abstract void MapRoutes(WebApplication app);

    private static async Task HangAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, which is the point; the server stopping ends the wait too.
        }

        context.Response.StatusCode = 499; // recorded as nginx's "client closed request"
    }

    private async Task RecordAndInjectAsync(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(request.Body, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        request.Body.Position = 0;
        var headers = request.Headers.ToDictionary(
            h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = request.Path.Value ?? "/";

        try
        {
            var fault = _faults.FirstOrDefault(f => f.TryFire(request.Method, path));
            fault?.OnFire?.Invoke();
            switch (fault?.Kind)
            {
                case FaultKind.Reset:
                    context.Abort();
                    return;
                case FaultKind.Respond:
                    context.Response.StatusCode = fault.Status;
                    foreach (var (name, value) in fault.Headers)
                    {
                        context.Response.Headers[name] = value;
                    }

                    context.Response.ContentType = "application/json; charset=utf-8";
                    await context.Response.WriteAsync(fault.Body, context.RequestAborted);
                    return;
                case FaultKind.Latency:
                    await Task.Delay(fault.Delay, context.RequestAborted);
                    break;
                case FaultKind.Hang:
                    await HangAsync(context);
                    return;
                case FaultKind.ResetAfterServing:
                    var original = context.Response.Body;
                    context.Response.Body = Stream.Null;
                    await next();
                    context.Response.Body = original;
                    context.Abort();
                    return;
            }

            await next();
        }
        finally
        {
            _requests.Enqueue(new RecordedRequest(
                request.Method, path, request.QueryString.Value ?? "", headers, body, context.Response.StatusCode));
        }
    }
}
