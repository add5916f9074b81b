namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>A core/v1 resource the emulator serves.</summary>
internal sealed record ResourceType(string Kind, string Resource, bool Namespaced, IReadOnlyList<string> Fields)
{
    /// <summary>Namespaces: cluster-scoped; only metadata is writable here.</summary>
    public static readonly ResourceType Namespaces = new("Namespace", "namespaces", false, []);

    /// <summary>ServiceAccounts, with the top-level fields it tracks in the Go struct's member order.</summary>
    public static readonly ResourceType ServiceAccounts = new(
        "ServiceAccount", "serviceaccounts", true, ["secrets", "imagePullSecrets", "automountServiceAccountToken"]);

    public string ListKind => Kind + "List";
}
