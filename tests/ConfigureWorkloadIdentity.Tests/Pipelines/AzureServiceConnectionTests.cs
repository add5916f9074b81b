using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Tests.Pipelines;

public sealed class AzureServiceConnectionTests
{
    private const string Id = "5f0d5a5e-8c1c-4c3b-9b7e-2f1f3c2a9d10";
    private const string Prefix = "ENDPOINT_AUTH_PARAMETER_" + Id + "_";

    [Theory]
    [InlineData("AzureUSGovernment", "https://management.usgovcloudapi.net/", "https://login.microsoftonline.us/",
        "https://management.core.usgovcloudapi.net/.default")]
    [InlineData("AzureChinaCloud", "https://management.chinacloudapi.cn/", "https://login.chinacloudapi.cn/",
        "https://management.core.chinacloudapi.cn/.default")]
    [InlineData("AzureCloud", "https://management.azure.com/", "https://login.microsoftonline.com/",
        "https://management.core.windows.net/.default")]
    public void Read_OnlyTheEnvironmentNamed_UsesItsKnownEndpoints(
        string environment,
        string arm,
        string authority,
        string scope)
    {
        var variables = Secret();
        variables.Remove("ENDPOINT_URL_" + Id);
        variables[$"ENDPOINT_DATA_{Id}_ENVIRONMENT"] = environment;

        var connection = Read(variables, out var errors);

        Assert.Empty(errors);
        Assert.Equal(new Uri(arm), connection.Cloud.ResourceManager);
        Assert.Equal(new Uri(authority), connection.Cloud.AuthorityHost);
        Assert.Equal(scope, connection.Cloud.ResourceManagerScope);
    }

    [Fact]
    public void Read_ConnectionGivesEndpoints_TheyWinOverTheEnvironmentsDefaults()
    {
        var variables = Secret();
        variables[$"ENDPOINT_DATA_{Id}_ENVIRONMENT"] = "AzureUSGovernment";
        variables["ENDPOINT_URL_" + Id] = "https://127.0.0.1:8443/";
        variables[$"ENDPOINT_DATA_{Id}_ACTIVEDIRECTORYAUTHORITY"] = "https://127.0.0.1:8443/";

        var connection = Read(variables, out _);

        Assert.Equal("AzureUSGovernment", connection.Cloud.Name);
        Assert.Equal(new Uri("https://127.0.0.1:8443/"), connection.Cloud.ResourceManager);
        Assert.Equal(new Uri("https://127.0.0.1:8443/"), connection.Cloud.AuthorityHost);
        Assert.Equal("https://management.core.usgovcloudapi.net/.default", connection.Cloud.ResourceManagerScope);
    }

    [Theory]
    [InlineData("PublishProfile")]
    [InlineData("")]
    public void Read_UnknownScheme_InputErrorNamingItAndWhatIsSupported(string scheme)
    {
        var variables = Secret();
        variables["ENDPOINT_AUTH_SCHEME_" + Id] = scheme;

        Read(variables, out var errors);

        var error = Assert.Single(errors);
        Assert.Contains($"'{scheme}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Supported: ServicePrincipal", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spnKey", "SERVICEPRINCIPALKEY", "'serviceprincipalkey'")]
    [InlineData("spnKey", "TENANTID", "'tenantid'")]
    [InlineData("spnCertificate", "SERVICEPRINCIPALCERTIFICATE", "'servicePrincipalCertificate'")]
    public void Read_MissingParameter_InputErrorNamingIt(string type, string missing, string named)
    {
        var variables = Secret();
        variables[Prefix + "AUTHENTICATIONTYPE"] = type;
        variables.Remove(Prefix + missing);

        Read(variables, out var errors);

        Assert.Contains(errors, e => e.Message.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_CertificateWithoutKey_InputErrorBeforeAnyRequest()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var variables = Secret();
        variables[Prefix + "AUTHENTICATIONTYPE"] = "spnCertificate";
        variables[Prefix + "SERVICEPRINCIPALCERTIFICATE"] = certificate.ExportCertificatePem();

        Read(variables, out var errors);

        Assert.Contains("holds no private key", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Certificate_EveryKeyLineIsASecret()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256,
            RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        var variables = Secret();
        variables[Prefix + "AUTHENTICATIONTYPE"] = "spnCertificate";
        variables[Prefix + "SERVICEPRINCIPALCERTIFICATE"] = certificate.ExportCertificatePem() + "\n" + keyPem;

        var connection = Read(variables, out var errors);

        Assert.Empty(errors);
        var keyLines = keyPem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('-')).ToList();
        Assert.Equal(keyLines, connection.Secrets);
    }

    [Fact]
    public void Read_WorkloadIdentityFederationWithoutOidcUri_BuildsItFromTheJob()
    {
        var variables = Federation();
        variables.Remove("SYSTEM_OIDCREQUESTURI");

        var connection = Read(variables, out var errors);

        Assert.Empty(errors);
        Assert.Equal(
            new Uri("https://dev.azure.com/contoso/p1/_apis/distributedtask/hubs/release/plans/plan1/jobs/job1"
                + "/oidctoken"),
            connection.OidcTokenUri);
        Assert.Equal(["job-token"], connection.Secrets);
    }

    [Fact]
    public void Read_WorkloadIdentityFederationWithoutJobToken_InputError()
    {
        var variables = Federation();
        variables.Remove("ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN");

        Read(variables, out var errors);

        Assert.Contains("SYSTEMVSSCONNECTION_ACCESSTOKEN", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ManagedIdentity_TakesTheOptionalClientId()
    {
        var variables = Secret();
        variables["ENDPOINT_AUTH_SCHEME_" + Id] = "ManagedServiceIdentity";
        variables.Remove(Prefix + "SERVICEPRINCIPALKEY");
        variables[$"ENDPOINT_DATA_{Id}_MSICLIENTID"] = "7d3c9b1e-2a4f-4e6d-8c0b-5f1a3e7d9c20";

        var connection = Read(variables, out var errors);

        Assert.Empty(errors);
        Assert.Equal(AzureAuthentication.ManagedIdentity, connection.Authentication);
        Assert.Equal("7d3c9b1e-2a4f-4e6d-8c0b-5f1a3e7d9c20", connection.ManagedIdentityClientId);
    }

    private static AzureServiceConnection Read(Dictionary<string, string> variables, out List<InputError> errors)
    {
        errors = [];
        return AzureServiceConnection.Read(new AgentEnvironment(variables), errors);
    }

    private static Dictionary<string, string> Secret() => new()
    {
        ["INPUT_AZURESUBSCRIPTION"] = Id,
        ["ENDPOINT_URL_" + Id] = "https://management.azure.com/",
        ["ENDPOINT_AUTH_SCHEME_" + Id] = "ServicePrincipal",
        [Prefix + "TENANTID"] = "6ee1d96e-4c90-42a8-be8a-f94078515d91",
        [Prefix + "SERVICEPRINCIPALID"] = "f3e1c2d4-5b6a-4789-8abc-1234567890ab",
        [Prefix + "AUTHENTICATIONTYPE"] = "spnKey",
        [Prefix + "SERVICEPRINCIPALKEY"] = "secret",
        [$"ENDPOINT_DATA_{Id}_SUBSCRIPTIONID"] = "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
    };

    private static Dictionary<string, string> Federation()
    {
        var variables = Secret();
        variables["ENDPOINT_AUTH_SCHEME_" + Id] = "WorkloadIdentityFederation";
        variables.Remove(Prefix + "SERVICEPRINCIPALKEY");
        variables.Remove(Prefix + "AUTHENTICATIONTYPE");
        variables["ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN"] = "job-token";
        variables["SYSTEM_OIDCREQUESTURI"] = "https://dev.azure.com/contoso/p1/_apis/x/oidctoken";
        variables["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/contoso/";
        variables["SYSTEM_TEAMPROJECTID"] = "p1";
        variables["SYSTEM_HOSTTYPE"] = "release";
        variables["SYSTEM_PLANID"] = "plan1";
        variables["SYSTEM_JOBID"] = "job1";
        return variables;
    }
}
