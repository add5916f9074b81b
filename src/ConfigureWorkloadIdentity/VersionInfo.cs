using System.Reflection;

namespace ConfigureWorkloadIdentity;

/// <summary>The product version, from the assembly (set by the build).</summary>
internal static class VersionInfo
{
    /// <summary>The informational version without source-control suffix.</summary>
    public static string Version { get; } =
        (typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0.0.0").Split('+')[0];
}
