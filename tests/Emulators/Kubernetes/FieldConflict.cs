namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>One field an applier would take from another manager.</summary>
/// <param name="Manager">The other manager as printManager shows it, e.g. <c>"kubectl" using v1</c>.</param>
/// <param name="SortKey">The key the apiserver groups and sorts managers by.</param>
/// <param name="Path">The field in fieldpath form, e.g. <c>.metadata.labels.app</c>.</param>
internal sealed record FieldConflict(string Manager, string SortKey, string Path);
