using System.Text;
using System.Text.RegularExpressions;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// The apiserver's object-meta validation for the resources served, with apimachinery's messages
/// (util/validation and apis/meta/v1/validation), including the double spaces RegexError produces.
/// </summary>
internal static partial class ObjectValidation
{
    public const int TotalAnnotationSizeLimit = 256 * 1024;

    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + "(\\." + Dns1123LabelFormat + ")*";
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFormat = "(" + QualifiedNameFormat + ")?";

    private const string Dns1123LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
        + "characters or '-', and must start and end with an alphanumeric character";

    private const string Dns1123SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case "
        + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string QualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must "
        + "start and end with an alphanumeric character";

    private const string LabelValueMessage = "a valid label must be an empty string or consist of alphanumeric "
        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /// <summary>Validates a stored object's metadata the way its strategy would on create and update.</summary>
    public static List<FieldError> Validate(StoredObject target)
    {
        var errors = new List<FieldError>();
        if (target.Name.Length == 0)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            var messages = target.Type == ResourceType.Namespaces
                ? IsDns1123Label(target.Name)
                : IsDns1123Subdomain(target.Name);
            errors.AddRange(messages.Select(m => FieldError.Invalid("metadata.name", target.Name, m)));
        }

        foreach (var (key, value) in target.Labels)
        {
            errors.AddRange(IsQualifiedName(key).Select(m => FieldError.Invalid("metadata.labels", key, m)));
            errors.AddRange(IsValidLabelValue(value).Select(m => FieldError.Invalid("metadata.labels", value, m)));
        }

        var size = 0L;
        foreach (var (key, value) in target.Annotations)
        {
            // Annotation keys are qualified names compared case-insensitively.
            var messages = IsQualifiedName(key.ToLowerInvariant());
            errors.AddRange(messages.Select(m => FieldError.Invalid("metadata.annotations", key, m)));
            size += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        if (size > TotalAnnotationSizeLimit)
        {
            errors.Add(FieldError.TooLong("metadata.annotations", TotalAnnotationSizeLimit));
        }

        return errors;
    }

    /// <summary>IsDNS1123Label. Lengths are in bytes, as Go's len counts.</summary>
    public static List<string> IsDns1123Label(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > 63)
        {
            errors.Add(MaxLength(63));
        }

        if (!Dns1123Label().IsMatch(value))
        {
            errors.Add(Dns1123Subdomain().IsMatch(value)
                ? "must not contain dots"
                : RegexError(Dns1123LabelMessage, Dns1123LabelFormat, "my-name", "123-abc"));
        }

        return errors;
    }

    /// <summary>IsDNS1123Subdomain.</summary>
    public static List<string> IsDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > 253)
        {
            errors.Add(MaxLength(253));
        }

        if (!Dns1123Subdomain().IsMatch(value))
        {
            errors.Add(RegexError(Dns1123SubdomainMessage, Dns1123SubdomainFormat, "example.com"));
        }

        return errors;
    }

    /// <summary>IsQualifiedName: an optional DNS subdomain prefix, a slash and a name of at most 63.</summary>
    public static List<string> IsQualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    errors.Add("prefix part must be non-empty");
                }
                else
                {
                    errors.AddRange(IsDns1123Subdomain(parts[0]).Select(m => "prefix part " + m));
                }

                break;
            default:
                errors.Add("a qualified name "
                    + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (Encoding.UTF8.GetByteCount(name) > 63)
        {
            errors.Add("name part " + MaxLength(63));
        }

        if (!QualifiedName().IsMatch(name))
        {
            errors.Add("name part "
                + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        }

        return errors;
    }

    /// <summary>IsValidLabelValue.</summary>
    public static List<string> IsValidLabelValue(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > 63)
        {
            errors.Add(MaxLength(63));
        }

        if (!LabelValue().IsMatch(value))
        {
            errors.Add(RegexError(LabelValueMessage, LabelValueFormat, "MyValue", "my_value", "12345"));
        }

        return errors;
    }

    private static string MaxLength(int length) => $"must be no more than {length} characters";

    /// <summary>RegexError: each example is followed by ", " and joined with " or ", hence the double spaces.</summary>
    private static string RegexError(string message, string format, params string[] examples)
    {
        var builder = new StringBuilder(message).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(" or ");
            }

            builder.Append('\'').Append(examples[i]).Append("', ");
        }

        return builder.Append("regex used for validation is '").Append(format).Append("')").ToString();
    }

    [GeneratedRegex("^" + Dns1123LabelFormat + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^" + Dns1123SubdomainFormat + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^" + QualifiedNameFormat + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^" + LabelValueFormat + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}
