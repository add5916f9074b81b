using ConfigureWorkloadIdentity.Emulators.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>
/// Entra ID (token endpoint, OpenID configuration, keys) and Azure Resource Manager (Microsoft.ManagedIdentity,
/// Microsoft.ContainerService, Microsoft.Authorization, Microsoft.Resources) on one loopback HTTPS port.
/// Use <see cref="EmulatorServer.BaseUri"/> both as the Azure.Identity AuthorityHost and as the ARM endpoint.
/// </summary>
public sealed class AzureEmulator : EmulatorServer
{
    private readonly JwtSigner _signer;
    private readonly bool _ownsSigner;
    private readonly EntraTokenEndpoint _entra;
    private readonly ArmFrontDoor _arm;
    private readonly ManagedIdentityEndpoint _identityEndpoint;

    /// <summary>
    /// Creates the emulator with empty state; seed <see cref="State"/>, then start it. Pass a
    /// <paramref name="signer"/> to share one token key between emulators (key generation is the slow part);
    /// the caller then disposes it.
    /// </summary>
    public AzureEmulator(JwtSigner? signer = null, EmulatorClock? clock = null)
    {
        _ownsSigner = signer is null;
        _signer = signer ?? new JwtSigner("CN=Azure Emulator Token Signing");
        Clock = clock ?? new EmulatorClock();
        State = new AzureState(Clock);
        _entra = new EntraTokenEndpoint(State, _signer, () => BaseUri, Clock, Network);
        _arm = new ArmFrontDoor(State, _signer, () => BaseUri, Clock);
        _identityEndpoint = new ManagedIdentityEndpoint(State, _entra);
    }

    /// <summary>The time tokens are issued and checked by; advance it to age every token at once.</summary>
    public EmulatorClock Clock { get; }

    /// <summary>
    /// The App Service style managed identity endpoint (IDENTITY_ENDPOINT), answering for the identities given to
    /// the machine with <see cref="AzureState.AddMachineIdentity"/>.
    /// </summary>
    public Uri ManagedIdentityUri => new(BaseUri, Azure.ManagedIdentityEndpoint.AppServicePath);

    /// <summary>The value the App Service style endpoint requires in X-IDENTITY-HEADER (IDENTITY_HEADER).</summary>
    public string ManagedIdentityHeader => _identityEndpoint.Header;

    /// <summary>
    /// The internet as Entra ID sees it: a federated credential's issuer is discovered through it (its
    /// /.well-known/openid-configuration and jwks_uri), so map the issuer's host to the emulator that serves it and
    /// trust that emulator's CA.
    /// </summary>
    public LoopbackNetwork Network { get; } = new();

    /// <summary>The directory and resources; seed and read back here.</summary>
    public AzureState State { get; }

    /// <summary>The key that signs access tokens (and that ARM verifies them with).</summary>
    public JwtSigner TokenSigner => _signer;

    /// <summary>
    /// Mints and records an access token without a token request, e.g. an expired one
    /// (negative <paramref name="lifetime"/>) or one for another audience.
    /// </summary>
    public IssuedToken IssueAccessToken(ServicePrincipal principal, string audience, TimeSpan lifetime) =>
        _entra.Issue(principal, audience, lifetime);

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Network.Dispose();
        if (_ownsSigner)
        {
            _signer.Dispose();
        }
    }

    /// <inheritdoc />
    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost(
            "/{tenant}/oauth2/v2.0/token", (HttpContext c, string tenant) => _entra.HandleTokenAsync(c, tenant));
        app.MapGet(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            (HttpContext c, string tenant) => _entra.HandleOpenIdConfigurationAsync(c, tenant));
        app.MapPost("/adfs/oauth2/token", _entra.HandleAdfsTokenAsync);
        app.MapGet("/adfs/.well-known/openid-configuration", _entra.HandleAdfsOpenIdConfigurationAsync);
        app.MapGet(
            "/{tenant}/discovery/v2.0/keys", (HttpContext c, string tenant) => _entra.HandleKeysAsync(c, tenant));
        app.MapGet(
            Azure.ManagedIdentityEndpoint.AppServicePath, (RequestDelegate)_identityEndpoint.HandleAppServiceAsync);
        app.MapGet(Azure.ManagedIdentityEndpoint.ImdsPath, (RequestDelegate)_identityEndpoint.HandleImdsAsync);
        app.Map("/subscriptions", (RequestDelegate)_arm.HandleAsync);
        app.Map("/subscriptions/{**rest}", (RequestDelegate)_arm.HandleAsync);
    }
}
