using static ConfigureWorkloadIdentity.Tests.LeastPrivilege.Permissions;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// The default mode without each one of its documented Azure actions in turn fails, naming the action: every one
/// of them is needed.
/// </summary>
public sealed class LeastPrivilegeAzureEndToEndTests : LeastPrivilegeEndToEndTestBase
{
    public static TheoryData<string> ApplyAzurePermissions =>
        [.. AzureFor(Apply).Select(p => p.ToString())];

    [Theory]
    [MemberData(nameof(ApplyAzurePermissions))]
    public async Task Apply_WithoutOneAzureGrant_FailsNamingIt(string name)
    {
        var missing = AzureFor(Apply).Single(p => p.ToString() == name);
        var setup = SetupFor(missing.When);
        GrantOnly(Apply, setup, withoutAzure: missing);

        using var run = await RunAsync(setup);

        Assert.Equal(Fails, missing.WithoutIt);
        EndToEndAssert.FailedWith(run, "AuthorizationFailed", $"perform action '{missing.Action}'");
        if (missing.Action.EndsWith("/read", StringComparison.Ordinal)
            || missing.Action.EndsWith("/action", StringComparison.Ordinal))
        {
            AssertNothingWritten();
        }
    }
}
