namespace ConfigureWorkloadIdentity.Binding;

/// <summary>Raised before any network call when one or more inputs are invalid.</summary>
internal sealed class InputValidationException(IReadOnlyList<InputError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.Message)))
{
    /// <summary>Every input error found, in input order.</summary>
    public IReadOnlyList<InputError> Errors { get; } = errors;
}
