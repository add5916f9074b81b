namespace ConfigureWorkloadIdentity.Emulators.Azure;

/// <summary>One resource provider namespace behind the emulated ARM front door.</summary>
internal abstract class ArmResourceProvider
{
    /// <summary>The namespace, e.g. Microsoft.ManagedIdentity.</summary>
    public abstract string Namespace { get; }

    /// <summary>The api-versions this emulator accepts for the namespace.</summary>
    public abstract IReadOnlyList<string> ApiVersions { get; }

    /// <summary>
    /// The operation for the request, or null when the resource type is unknown. An unsupported method on a
    /// known type returns <see cref="MethodNotAllowed"/>.
    /// </summary>
    public abstract ArmOperation? Match(ArmRequest request);

    /// <summary>The answer for a known resource type that lacks the method.</summary>
    protected static ArmOperation MethodNotAllowed(string action) => new(
        action,
        null,
        (request, ct) => request.WriteErrorAsync(
            405,
            "MethodNotAllowed",
            $"The requested resource does not support http method '{request.Method}'.",
            ct));

    /// <summary>True when segment <paramref name="index"/> equals <paramref name="literal"/> ignoring case.</summary>
    protected static bool Is(ArmRequest request, int index, string literal) =>
        request.Segments.Count > index
        && string.Equals(request.Segments[index], literal, StringComparison.OrdinalIgnoreCase);
}
