using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Kubernetes;

namespace ConfigureWorkloadIdentity.Tests.Binding;

public sealed class BindingPlannerTests
{
    private const string Issuer = "https://eastus.oic.prod-aks.azure.com/tenant/guid/";
    private const string ClientId = "a1b2c3d4-0000-4000-8000-00000000c11e";
    private const string Subject = "system:serviceaccount:ns:sa";

    [Fact]
    public void Plan_NothingExists_CreatesCredentialNamespaceAndServiceAccount()
    {
        var plan = BindingPlanner.Plan(Request(), Observed(NamespaceState.Missing));

        Assert.Equal(ChangeAction.Create, plan.Credential);
        Assert.Equal("id1-ns-sa", plan.CredentialName);
        Assert.True(plan.CreateNamespace);
        Assert.Equal(ChangeAction.Create, plan.ServiceAccount);
        Assert.Equal(ClientId, plan.Annotations["azure.workload.identity/client-id"]);
        Assert.Equal("true", plan.Labels["azure.workload.identity/use"]);
    }

    [Fact]
    public void Plan_SameIssuerAndSubjectUnderAnotherName_AdoptsItUnchanged()
    {
        var observed = Observed(NamespaceState.Active, credentials: [Credential("legacy-fic", Issuer, Subject)]);

        var plan = BindingPlanner.Plan(Request(credentialName: "wanted-name"), observed);

        Assert.Equal(ChangeAction.Unchanged, plan.Credential);
        Assert.Equal("legacy-fic", plan.CredentialName);
        Assert.Contains(plan.Notes, n => n.Contains("legacy-fic", StringComparison.Ordinal));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Plan_MatchWithOtherAudience_UpdatesIt()
    {
        var observed = Observed(NamespaceState.Active,
            credentials: [Credential("fic", Issuer, Subject, "api://SomethingElse")]);

        var plan = BindingPlanner.Plan(Request(), observed);

        Assert.Equal(ChangeAction.Update, plan.Credential);
        Assert.Equal("fic", plan.CredentialName);
    }

    [Fact]
    public void Plan_IssuerDiffersOnlyBySlash_IsNotAMatch()
    {
        var observed = Observed(NamespaceState.Active,
            credentials: [Credential("other", Issuer.TrimEnd('/'), Subject)]);

        var plan = BindingPlanner.Plan(Request(), observed);

        Assert.Equal(ChangeAction.Create, plan.Credential);
    }

    [Fact]
    public void Plan_SubjectDiffersInCase_IsNotAMatch()
    {
        var observed = Observed(NamespaceState.Active,
            credentials: [Credential("other", Issuer, "system:serviceaccount:NS:sa")]);

        Assert.Equal(ChangeAction.Create, BindingPlanner.Plan(Request(), observed).Credential);
    }

    [Fact]
    public void Plan_GivenNameTakenByAnotherSubject_FailsWithoutRepointing()
    {
        var observed = Observed(NamespaceState.Active,
            credentials: [Credential("shared", Issuer, "system:serviceaccount:other:sa")]);

        var ex = Assert.Throws<BindingFailedException>(
            () => BindingPlanner.Plan(Request(credentialName: "shared"), observed));

        Assert.Contains("not repointed", ex.Message, StringComparison.Ordinal);
        Assert.Contains("federatedCredentialName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_GivenNameTakenWithRepointOptIn_RepointsItAndSaysWhatLosesTrust()
    {
        var observed = Observed(NamespaceState.Active,
            credentials: [Credential("shared", Issuer, "system:serviceaccount:other:sa")]);

        var plan = BindingPlanner.Plan(Request(credentialName: "shared") with { RepointCredential = true }, observed);

        Assert.Equal(ChangeAction.Update, plan.Credential);
        Assert.Equal("shared", plan.CredentialName);
        Assert.Contains(plan.Notes, n => n.Contains("system:serviceaccount:other:sa", StringComparison.Ordinal)
            && n.Contains("repointed", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_ServiceAccountOptions_AddTheirAnnotationsAndLabels()
    {
        var request = Request() with
        {
            AnnotateTenantId = true,
            TokenExpiration = TimeSpan.FromHours(2),
            Labels = new Dictionary<string, string> { ["team"] = "a" },
            Annotations = new Dictionary<string, string> { ["example.com/x"] = "y" },
        };

        var plan = BindingPlanner.Plan(request, Observed(NamespaceState.Active));

        Assert.Equal("tenant", plan.Annotations["azure.workload.identity/tenant-id"]);
        Assert.Equal("7200", plan.Annotations["azure.workload.identity/service-account-token-expiration"]);
        Assert.Equal("y", plan.Annotations["example.com/x"]);
        Assert.Equal(ClientId, plan.Annotations["azure.workload.identity/client-id"]);
        Assert.Equal("a", plan.Labels["team"]);
        Assert.Equal("true", plan.Labels["azure.workload.identity/use"]);
    }

    [Fact]
    public void Plan_DefaultNameTakenByAnotherCluster_AddsIssuerDiscriminator()
    {
        var observed = Observed(NamespaceState.Active,
            credentials: [Credential("id1-ns-sa", "https://other.example/issuer/", Subject)]);

        var plan = BindingPlanner.Plan(Request(), observed);

        Assert.Equal(ChangeAction.Create, plan.Credential);
        Assert.StartsWith("id1-ns-sa-", plan.CredentialName, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TwentyCredentialsAndNewOneNeeded_Fails()
    {
        var full = Enumerable.Range(0, 20)
            .Select(i => Credential($"fic{i}", Issuer, $"system:serviceaccount:ns:other{i}"))
            .ToList();

        var ex = Assert.Throws<BindingFailedException>(
            () => BindingPlanner.Plan(Request(), Observed(NamespaceState.Active, credentials: full)));

        Assert.Contains("20 of 20", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TwentyCredentialsIncludingThisOne_Unchanged()
    {
        var full = Enumerable.Range(0, 19)
            .Select(i => Credential($"fic{i}", Issuer, $"system:serviceaccount:ns:other{i}"))
            .Append(Credential("mine", Issuer, Subject))
            .ToList();

        var plan = BindingPlanner.Plan(Request(), Observed(NamespaceState.Active, credentials: full));

        Assert.Equal(ChangeAction.Unchanged, plan.Credential);
    }

    [Fact]
    public void Plan_MissingNamespaceAndCreateNamespaceFalse_Fails()
    {
        var ex = Assert.Throws<BindingFailedException>(
            () => BindingPlanner.Plan(Request(createNamespace: false), Observed(NamespaceState.Missing)));

        Assert.Contains("'ns' does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("createNamespace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_TerminatingNamespace_Fails() =>
        Assert.Throws<BindingFailedException>(
            () => BindingPlanner.Plan(Request(), Observed(NamespaceState.Terminating)));

    [Fact]
    public void Plan_ServiceAccountAppliedByUsWithSameValues_Unchanged()
    {
        var account = Account(new() { ["azure.workload.identity/client-id"] = ClientId, ["team"] = "x" },
            new() { ["azure.workload.identity/use"] = "true" }, appliedByUs: true);

        var plan = BindingPlanner.Plan(Request(), Observed(NamespaceState.Active, account: account));

        Assert.Equal(ChangeAction.Unchanged, plan.ServiceAccount);
        Assert.False(plan.CreateNamespace);
    }

    [Fact]
    public void Plan_ServiceAccountWithSameValuesSetByOthers_UpdatedToTakeOwnership()
    {
        var account = Account(new() { ["azure.workload.identity/client-id"] = ClientId },
            new() { ["azure.workload.identity/use"] = "true" }, appliedByUs: false);

        var plan = BindingPlanner.Plan(Request(), Observed(NamespaceState.Active, account: account));

        Assert.Equal(ChangeAction.Update, plan.ServiceAccount);
    }

    [Fact]
    public void Plan_ServiceAccountWithOldClientId_UpdatesAndWarnsAboutRestart()
    {
        var account = Account(new() { ["azure.workload.identity/client-id"] = "old-id" }, new(), appliedByUs: true);

        var plan = BindingPlanner.Plan(Request(), Observed(NamespaceState.Active, account: account));

        Assert.Equal(ChangeAction.Update, plan.ServiceAccount);
        Assert.Contains(plan.Warnings, w => w.Contains("restarted", StringComparison.Ordinal));
    }

    private static BindingRequest Request(string? credentialName = null, bool createNamespace = true) =>
        new(new IdentityReference("0b1f6471-1bf0-4dda-aec3-cb9272f09590", "rg", "id1"),
            new ClusterReference("0b1f6471-1bf0-4dda-aec3-cb9272f09590", "rg", "aks"),
            null, "ns", "sa", credentialName, createNamespace);

    private static ObservedState Observed(
        NamespaceState ns,
        IReadOnlyList<ObservedCredential>? credentials = null,
        ObservedServiceAccount? account = null) =>
        new(new ObservedIdentity(ClientId, "principal", "tenant", "eastus"), Issuer, credentials ?? [], ns, account);

    private static ObservedCredential Credential(
        string name,
        string issuer,
        string subject,
        string audience = "api://AzureADTokenExchange") =>
        new(name, issuer, subject, [audience]);

    private static ObservedServiceAccount Account(
        Dictionary<string, string> annotations,
        Dictionary<string, string> labels,
        bool appliedByUs) =>
        new(annotations, labels, appliedByUs);
}
