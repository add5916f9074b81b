using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity.Tests.Pipelines;

public sealed class CliWordingTests
{
    [Theory]
    [InlineData("Input 'namespace' ('Team-A') is not valid.", "Option --namespace ('Team-A') is not valid.")]
    [InlineData("Input 'clusterName' is required when 'issuerSource' is \"aksCluster\": set 'issuerSource' to "
        + "\"issuerUrl\" and give 'issuerUrl'.",
        "Option --cluster-name is required when --issuer-source is \"aksCluster\": set --issuer-source to "
        + "\"issuerUrl\" and give --issuer-url.")]
    [InlineData("Set the input 'kubeconfig' to a path.", "Set --kubeconfig to a path.")]
    [InlineData("Federated credential 'legacy-fic' is kept.", "Federated credential 'legacy-fic' is kept.")]
    [InlineData("Namespace 'team' does not exist.", "Namespace 'team' does not exist.")]
    public void Apply_Message_InputsReadAsOptions(string message, string expected) =>
        Assert.Equal(expected, CliWording.Apply(message));
}
