using System.Text;
using System.Text.Json.Nodes;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// Reads the Kubernetes protobuf envelope (<c>k8s\0</c> + runtime.Unknown) that kubectl uses for typed creates
/// such as <c>kubectl create namespace</c>, into the JSON the rest of the emulator handles. Only the fields the
/// emulator stores are read: type meta, metadata name, namespace, labels and annotations, and a
/// ServiceAccount's automountServiceAccountToken; everything else is skipped.
/// </summary>
internal static class ProtobufObjectReader
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    /// <exception cref="KubernetesApiException">400 when the bytes are not a Kubernetes protobuf object.</exception>
    public static JsonObject Read(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw KubernetesStatus.BadRequest("provided object does not have the protobuf magic number");
        }

        try
        {
            var json = new JsonObject();
            byte[]? raw = null;
            foreach (var (number, value) in Fields(body.AsMemory(Magic.Length)))
            {
                if (number == 1)
                {
                    foreach (var (typeNumber, typeValue) in Fields(value))
                    {
                        json[typeNumber == 1 ? "apiVersion" : "kind"] = Text(typeValue);
                    }
                }
                else if (number == 2)
                {
                    raw = value.ToArray();
                }
            }

            foreach (var (number, value) in Fields(raw ?? []))
            {
                if (number == 1)
                {
                    json["metadata"] = ReadObjectMeta(value);
                }
                else if (number == 4 && json["kind"]?.GetValue<string>() == "ServiceAccount")
                {
                    // A varint field arrives here as its single-byte value.
                    json["automountServiceAccountToken"] = value.Span[0] != 0;
                }
            }

            return json;
        }
        catch (FormatException ex)
        {
            throw KubernetesStatus.BadRequest($"unable to decode protobuf object: {ex.Message}");
        }
    }

    private static JsonObject ReadObjectMeta(ReadOnlyMemory<byte> bytes)
    {
        var metadata = new JsonObject();
        var labels = new JsonObject();
        var annotations = new JsonObject();
        foreach (var (number, value) in Fields(bytes))
        {
            switch (number)
            {
                case 1:
                    metadata["name"] = Text(value);
                    break;
                case 3:
                    metadata["namespace"] = Text(value);
                    break;
                case 11 or 12:
                    string key = "", text = "";
                    foreach (var (entryNumber, entryValue) in Fields(value))
                    {
                        _ = entryNumber == 1 ? key = Text(entryValue) : text = Text(entryValue);
                    }

                    (number == 11 ? labels : annotations)[key] = text;
                    break;
            }
        }

        if (labels.Count > 0)
        {
            metadata["labels"] = labels;
        }

        if (annotations.Count > 0)
        {
            metadata["annotations"] = annotations;
        }

        return metadata;
    }

    private static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    /// <summary>Field number and payload of each field; varints yield their value as one byte (0 or 1 here).</summary>
    private static IEnumerable<(int Number, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message.Span, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    var varint = ReadVarint(message.Span, ref position);
                    yield return (number, new[] { (byte)Math.Min(varint, 1UL) });
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    if (length < 0 || position + length > message.Length)
                    {
                        throw new FormatException("a length runs past the end of the message");
                    }

                    yield return (number, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new FormatException($"unsupported wire type {tag & 7}");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= span.Length)
            {
                throw new FormatException("a varint runs past the end of the message");
            }

            var b = span[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("a varint is too long");
    }
}
