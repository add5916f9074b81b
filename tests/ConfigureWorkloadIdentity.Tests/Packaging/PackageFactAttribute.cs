namespace ConfigureWorkloadIdentity.Tests.Packaging;

/// <summary>
/// A test of the built .vsix named by CWI_VSIX. Without the variable it is reported as skipped, never as passed:
/// a fresh clone has no package, and `dotnet test Extension.sln` must stay green there. CI builds the package
/// (build.ps1 package) and runs these tests with CWI_VSIX set (build.ps1 package-test, .ci/run); a CWI_VSIX that
/// names no file fails them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PackageFactAttribute : FactAttribute
{
    /// <summary>The variable naming the .vsix under test.</summary>
    public const string VsixVariable = "CWI_VSIX";

    /// <summary>Skips the test when no package is named.</summary>
    public PackageFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(VsixVariable)))
        {
            Skip = $"No package to test: set {VsixVariable} to a .vsix made by 'build.ps1 package' "
                + "(build.ps1 package-test does).";
        }
    }
}
