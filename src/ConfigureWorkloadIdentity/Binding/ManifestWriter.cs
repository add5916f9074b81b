using YamlDotNet.RepresentationModel;

namespace ConfigureWorkloadIdentity.Binding;

/// <summary>
/// Writes the ServiceAccounts a step would apply as a multi-document YAML file (action render), for Helm or a
/// GitOps repository to apply instead. YamlDotNet's emitter does the quoting, so no value can break the YAML.
/// </summary>
internal static class ManifestWriter
{
    /// <summary>Writes one ServiceAccount document per binding result, in order; creates the folder.</summary>
    public static void Write(string path, IEnumerable<(BindingRequest Request, BindingPlan Plan)> accounts)
    {
        var stream = new YamlStream();
        foreach (var (request, plan) in accounts)
        {
            var metadata = new YamlMappingNode
            {
                { "name", Quoted(request.ServiceAccountName) },
                { "namespace", Quoted(request.Namespace) },
                { "labels", Map(plan.Labels) },
                { "annotations", Map(plan.Annotations) },
            };
            stream.Add(new YamlDocument(new YamlMappingNode
            {
                { "apiVersion", "v1" },
                { "kind", "ServiceAccount" },
                { "metadata", metadata },
            }));
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var writer = new StreamWriter(path, append: false);
            stream.Save(writer, assignAnchors: false);
        }
        catch (IOException ex)
        {
            throw Unwritable(path, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Unwritable(path, ex);
        }
    }

    private static BindingFailedException Unwritable(string path, Exception ex) =>
        new($"The manifests could not be written to '{path}' ({ex.Message}). The Azure side is done; set "
            + $"'{InputNames.ManifestPath}' to a writable file and run the step again (it changes nothing in Azure "
            + "then).", ex);

    private static YamlMappingNode Map(IReadOnlyDictionary<string, string> values)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            map.Add(key, Quoted(value));
        }

        return map;
    }

    // Every value is a string to Kubernetes: "true" or a client id must not be read as a boolean or number.
    private static YamlScalarNode Quoted(string value) =>
        new(value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
}
