using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>Reads a request body that may be JSON or YAML into JSON, as sigs.k8s.io/yaml does.</summary>
internal static class YamlJson
{
    /// <summary>Parses the body into an object; an empty body is an empty object.</summary>
    /// <exception cref="KubernetesApiException">400 <c>error decoding YAML: …</c>.</exception>
    public static JsonObject ParseObject(string body)
    {
        JsonNode? node;
        try
        {
            node = ParseNode(body);
        }
        catch (YamlException ex)
        {
            throw KubernetesStatus.BadRequest($"error decoding YAML: {ex.Message}");
        }

        return node switch
        {
            null => [],
            JsonObject obj => obj,
            JsonArray => throw KubernetesStatus.BadRequest(
                "error decoding YAML: json: cannot unmarshal array into Go value of type map[string]interface {}"),
            _ => throw KubernetesStatus.BadRequest(
                "error decoding YAML: json: cannot unmarshal string into Go value of type map[string]interface {}"),
        };
    }

    private static JsonNode? ParseNode(string body)
    {
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                // Flow-style YAML starts like JSON; let the YAML parser have a go.
            }
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(body));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    obj[((YamlScalarNode)key).Value ?? ""] = Convert(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                return new JsonArray([.. sequence.Children.Select(Convert)]);
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                throw new YamlException(node.Start, node.End, "unsupported YAML node");
        }
    }

    /// <summary>Plain scalars resolve to null, bool or numbers (YAML 1.2 core schema); quoted ones stay text.</summary>
    private static JsonValue? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && char.IsAsciiDigit(text[^1]))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }
}
