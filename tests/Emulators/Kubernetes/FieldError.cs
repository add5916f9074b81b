namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>
/// One field validation error, rendered the way apimachinery's <c>field.Error</c> renders itself.
/// </summary>
/// <param name="Reason">The cause type, e.g. FieldValueInvalid.</param>
/// <param name="Field">The field path, e.g. metadata.name.</param>
/// <param name="Body">The text without the field, e.g. <c>Invalid value: "x": detail</c>.</param>
internal sealed record FieldError(string Reason, string Field, string Body)
{
    /// <summary>The full text: field, colon, body.</summary>
    public string Text => $"{Field}: {Body}";

    public static FieldError Invalid(string field, string value, string detail) =>
        new("FieldValueInvalid", field, $"Invalid value: {GoText.Quote(value)}: {detail}");

    public static FieldError Required(string field, string detail) =>
        new("FieldValueRequired", field, detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static FieldError Forbidden(string field, string detail) =>
        new("FieldValueForbidden", field, $"Forbidden: {detail}");

    public static FieldError TooLong(string field, int maxBytes) =>
        new("FieldValueTooLong", field, $"Too long: may not be more than {maxBytes} bytes");

    /// <summary>NotSupported; <paramref name="renderedValue"/> is already formatted (%q or JSON).</summary>
    public static FieldError NotSupported(string field, string renderedValue, params string[] supported) =>
        new("FieldValueNotSupported", field,
            $"Unsupported value: {renderedValue}: supported values: "
            + string.Join(", ", supported.Select(GoText.Quote)));
}
