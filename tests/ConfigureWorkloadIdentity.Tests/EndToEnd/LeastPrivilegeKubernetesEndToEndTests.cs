using ConfigureWorkloadIdentity.Emulators.Agent;
using static ConfigureWorkloadIdentity.Tests.LeastPrivilege.Permissions;

namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>
/// The default mode without each one of its documented Kubernetes permissions in turn fails naming the verb, or
/// degrades to the documented warning or to no hints: every one of them is needed.
/// </summary>
public sealed class LeastPrivilegeKubernetesEndToEndTests : LeastPrivilegeEndToEndTestBase
{
    public static TheoryData<string> ApplyKubernetesPermissions =>
        [.. KubernetesFor(Apply).Select(p => p.ToString())];

    [Theory]
    [MemberData(nameof(ApplyKubernetesPermissions))]
    public async Task Apply_WithoutOneKubernetesGrant_FailsOrDegradesAsDocumented(string name)
    {
        var missing = KubernetesFor(Apply).Single(p => p.ToString() == name);
        var setup = SetupFor(missing.When);
        GrantOnly(Apply, setup, withoutKubernetes: missing);

        using var run = await RunAsync(setup);

        switch (missing.WithoutIt)
        {
            case Fails:
                EndToEndAssert.FailedWith(run, $"cannot {missing.Verb} resource \"{missing.Resource}\"");
                if (missing.Verb is "get" or "list")
                {
                    AssertNothingWritten();
                }

                break;
            case Warning:
                Assert.Equal(TaskResult.SucceededWithIssues, run.Result);
                Assert.Contains(run.Warnings, w => w.Message.StartsWith(
                    "Could not check whether the workload identity webhook is installed", StringComparison.Ordinal));
                Assert.Single(Credentials());
                break;
            case NoDryRun:
                Assert.True(run.Result == TaskResult.Succeeded, string.Join("\n", run.Warnings.Select(w => w.Message)));
                // The dry run is skipped quietly (a debug line); verification itself still ran.
                Assert.DoesNotContain(run.Lines, l => l.StartsWith("Webhook: ", StringComparison.Ordinal));
                Assert.Contains(run.Lines, l => l.StartsWith("Verified: ", StringComparison.Ordinal));
                break;
            default:
                Assert.Equal(NoHints, missing.WithoutIt);
                Assert.True(run.Result == TaskResult.Succeeded, string.Join("\n", run.Warnings.Select(w => w.Message)));
                Assert.Contains($"Workloads in {Scenario.Namespace} were not checked", run.Stdout,
                    StringComparison.Ordinal);
                break;
        }
    }
}
