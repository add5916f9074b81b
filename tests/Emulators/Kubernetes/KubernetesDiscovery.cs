using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// Legacy (v1) discovery documents. client-go asks for aggregated discovery first and falls back to these when
/// the answer is plain application/json.
/// </summary>
internal static class KubernetesDiscovery
{
    public const string GitVersion = "v1.32.4";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "59526cd4867447956156ae3a602fcbac10a2c335",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-04-22T16:02:27Z",
        ["goVersion"] = "go1.23.6",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject ApiVersions(string host) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(
            new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = host }),
    };

    public static JsonObject ApiGroups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(new JsonObject
        {
            ["name"] = AdmissionGroup,
            ["versions"] = new JsonArray(new JsonObject
            {
                ["groupVersion"] = AdmissionGroup + "/v1",
                ["version"] = "v1",
            }),
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = AdmissionGroup + "/v1", ["version"] = "v1" },
        }),
    };

    /// <summary>The group of MutatingWebhookConfigurations.</summary>
    public const string AdmissionGroup = "admissionregistration.k8s.io";

    /// <summary>admissionregistration.k8s.io/v1: only MutatingWebhookConfigurations, read-only.</summary>
    public static JsonObject AdmissionV1Resources() => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = AdmissionGroup + "/v1",
        ["resources"] = new JsonArray(new JsonObject
        {
            ["name"] = "mutatingwebhookconfigurations",
            ["singularName"] = "mutatingwebhookconfiguration",
            ["namespaced"] = false,
            ["kind"] = "MutatingWebhookConfiguration",
            ["verbs"] = new JsonArray("get"),
        }),
    };

    /// <summary>The core/v1 resources served, with only the verbs the emulator implements.</summary>
    public static JsonObject CoreV1Resources() => new()
    {
        ["kind"] = "APIResourceList",
        ["groupVersion"] = "v1",
        ["resources"] = new JsonArray(
            Resource("namespaces", "namespace", namespaced: false, "Namespace", "ns"),
            Resource("serviceaccounts", "serviceaccount", namespaced: true, "ServiceAccount", "sa")),
    };

    private static JsonObject Resource(string name, string singular, bool namespaced, string kind, string shortName) =>
        new()
        {
            ["name"] = name,
            ["singularName"] = singular,
            ["namespaced"] = namespaced,
            ["kind"] = kind,
            ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch"),
            ["shortNames"] = new JsonArray(shortName),
        };
}
