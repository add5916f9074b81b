using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ConfigureWorkloadIdentity.Emulators.Kubernetes;

/// <summary>Create, patch and delete options from the query, validated as ValidatePatchOptions does.</summary>
/// <param name="FieldManager">The fieldManager parameter, or empty.</param>
/// <param name="Force">force=true.</param>
/// <param name="DryRun">dryRun=All.</param>
/// <param name="FieldValidation">Ignore, Warn, Strict or empty.</param>
internal sealed record RequestOptions(string FieldManager, bool Force, bool DryRun, string FieldValidation)
{
    /// <summary>Reads the options; <paramref name="optionsKind"/> is e.g. PatchOptions.</summary>
    /// <exception cref="KubernetesApiException">422 <c>{kind}.meta.k8s.io "" is invalid</c>.</exception>
    public static RequestOptions Parse(
        KubernetesRequest request, string optionsKind, bool isPatch, bool isApply)
    {
        var errors = new List<FieldError>();
        var fieldManager = request.QueryValue("fieldManager") ?? "";
        var forceText = request.QueryValue("force");
        if (isPatch && !isApply && forceText is not null)
        {
            errors.Add(FieldError.Forbidden("force", "may not be specified for non-apply patch"));
        }

        if (isApply && fieldManager.Length == 0)
        {
            errors.Add(FieldError.Required("fieldManager", "is required for apply patch"));
        }

        if (Encoding.UTF8.GetByteCount(fieldManager) > 128)
        {
            errors.Add(FieldError.TooLong("fieldManager", 128));
        }

        var position = 0;
        foreach (var rune in fieldManager.EnumerateRunes())
        {
            if (!IsPrintable(rune))
            {
                errors.Add(FieldError.Invalid("fieldManager", fieldManager,
                    $"invalid character U+{rune.Value:X4} (at position {position})"));
            }

            position += rune.Utf8SequenceLength;
        }

        var dryRun = request.Query.TryGetValue("dryRun", out var dryRunValues) ? dryRunValues : [];
        if (dryRun.Any(d => d != "All"))
        {
            errors.Add(FieldError.NotSupported("dryRun", JsonSerializer.Serialize(dryRun, KubernetesJson.Options),
                "All"));
        }

        var fieldValidation = request.QueryValue("fieldValidation") ?? "";
        if (fieldValidation is not ("" or "Ignore" or "Warn" or "Strict"))
        {
            errors.Add(FieldError.NotSupported("fieldValidation", GoText.Quote(fieldValidation),
                "", "Ignore", "Strict", "Warn"));
        }

        if (errors.Count > 0)
        {
            throw KubernetesStatus.Invalid(optionsKind, "meta.k8s.io", "", errors);
        }

        return new RequestOptions(
            fieldManager,
            string.Equals(forceText, "true", StringComparison.OrdinalIgnoreCase),
            dryRun.Length > 0,
            fieldValidation);
    }

    /// <summary>Go's unicode.IsPrint: graphic characters and the ASCII space only.</summary>
    private static bool IsPrintable(Rune rune) =>
        rune.Value == ' ' || Rune.GetUnicodeCategory(rune) is not (
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    /// <summary>managerOrUserAgent: the fieldManager, else the User-Agent up to its first slash.</summary>
    public static string ManagerOrUserAgent(string fieldManager, string userAgent)
    {
        if (fieldManager.Length > 0)
        {
            return fieldManager;
        }

        var prefix = userAgent.Split('/')[0];
        var manager = string.Concat(prefix.EnumerateRunes().Where(IsPrintable).Select(r => r.ToString()));
        return manager.Length > 128 ? manager[..128] : manager;
    }
}
