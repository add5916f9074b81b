using System.Diagnostics;
using System.Runtime.InteropServices;
using ConfigureWorkloadIdentity.Emulators.Scenario;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>The same executable as a command-line tool on a laptop, against the emulators.</summary>
public sealed class CliEndToEndTests : IAsyncLifetime
{
    private EmulatedWorld _world = null!;
    private string _home = null!;

    public async Task InitializeAsync()
    {
        _world = await EmulatedWorld.StartAsync();
        _home = Directory.CreateTempSubdirectory("cwi-cli-home-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task Run_EnvironmentCredentialAndOptions_ConfiguresTheBinding()
    {
        var s = _world.Scenario;

        var (exitCode, stdout, stderr) = await RunCliAsync(
            "--subscription", s.SubscriptionId,
            "--resource-group", s.IdentityResourceGroup,
            "--identity-name", s.IdentityName,
            "--cluster-name", s.ClusterName,
            "--namespace", s.Namespace,
            "--service-account-name", s.ServiceAccountName,
            "--kubeconfig", _world.KubeconfigPath,
            "--arm-endpoint", _world.Azure.BaseUri.ToString(),
            "--authority-host", _world.Azure.BaseUri.ToString());

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}");
        Assert.Contains("Succeeded: Workload identity for exampleapp-ns/exampleapp-wi-sa is configured", stdout,
            StringComparison.Ordinal);
        Assert.DoesNotContain("##vso[", stdout, StringComparison.Ordinal);
        var credential = Assert.Single(_world.Azure.State.GetFederatedCredentials(
            s.SubscriptionId, s.IdentityResourceGroup, s.IdentityName));
        Assert.Equal("mi-aks-pri-exampleapp-sbx-exampleapp-ns-exampleapp-wi-sa", credential.Name);
        Assert.Equal(s.IssuerUrl, credential.Issuer);
        Assert.NotNull(_world.Kubernetes.State.GetServiceAccount(s.Namespace, s.ServiceAccountName));
        foreach (var secret in _world.Secrets)
        {
            Assert.DoesNotContain(secret, stdout + stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_BadOptions_ExitsTwoNamingEachOptionBeforeAnyRequest()
    {
        var (exitCode, _, stderr) = await RunCliAsync(
            "--subscription", "not-a-guid", "--resource-group", "rg", "--identity-name", "mi-x",
            "--cluster-name", "aks", "--namespace", "Team-A", "--service-account-name", "sa");

        Assert.Equal(2, exitCode);
        Assert.Contains("Option --subscription ('not-a-guid') is not a subscription id", stderr,
            StringComparison.Ordinal);
        Assert.Contains("Option --namespace ('Team-A') is not a valid Kubernetes namespace name", stderr,
            StringComparison.Ordinal);
        Assert.Empty(_world.Azure.Requests);
        Assert.Empty(_world.Kubernetes.Requests);
    }

    [Fact]
    public async Task Run_SwitchGivenAValueOrBadPair_ExitsTwoSayingSoBeforeAnyRequest()
    {
        var (exitCode, _, stderr) = await RunCliAsync(
            "--subscription", "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "--resource-group", "rg", "--identity-name",
            "mi-x", "--cluster-name", "aks", "--namespace", "ns", "--service-account-name", "sa", "--what-if",
            "false", "--create-identity", "maybe");
        var (pairExitCode, _, pairStderr) = await RunCliAsync(
            "--subscription", "0b1f6471-1bf0-4dda-aec3-cb9272f09590", "--resource-group", "rg", "--identity-name",
            "mi-x", "--cluster-name", "aks", "--namespace", "ns", "--service-account-name", "sa", "--identity-tags",
            "notkeyvalue");

        Assert.Equal(2, exitCode);
        Assert.Contains("'false' belongs to no option", stderr, StringComparison.Ordinal);
        Assert.Contains("Option --create-identity ('maybe') must be 'true' or 'false'.", stderr,
            StringComparison.Ordinal);
        Assert.Equal(2, pairExitCode);
        Assert.Contains("Option --identity-tags ('notkeyvalue') must be key=value", pairStderr,
            StringComparison.Ordinal);
        Assert.Empty(_world.Azure.Requests);
        Assert.Empty(_world.Kubernetes.Requests);
    }

    [Fact]
    public async Task Help_Always_ListsTheTaskInputsInKebabCase()
    {
        var (exitCode, stdout, _) = await RunCliAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[]
        {
            "--resource-group", "--identity-name", "--issuer-source", "--cluster-resource-group", "--cluster-name",
            "--issuer-url", "--namespace", "--service-account-name", "--federated-credential-name",
            "--create-namespace", "--kubeconfig", "--subscription",
        })
        {
            Assert.Contains(option, stdout, StringComparison.Ordinal);
        }
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunCliAsync(params string[] arguments)
    {
        var executable = Path.Combine(RepositoryLayout.BinaryFolder, "ConfigureWorkloadIdentity");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        start.Environment["HOME"] = _home;
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(
            Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        start.Environment["SSL_CERT_FILE"] = _world.Ca.CaPemPath;
        start.Environment["AZURE_TENANT_ID"] = _world.Scenario.TenantId;
        start.Environment["AZURE_CLIENT_ID"] = _world.Scenario.ServicePrincipalId;
        start.Environment["AZURE_CLIENT_SECRET"] = _world.ClientSecret;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
