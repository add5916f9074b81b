using System.Diagnostics.CodeAnalysis;
using CommandLine;
using ConfigureWorkloadIdentity.Azure;
using ConfigureWorkloadIdentity.Binding;
using ConfigureWorkloadIdentity.Pipelines;

namespace ConfigureWorkloadIdentity;

/// <summary>Runs from a terminal: inputs from the command line, sign-in as the developer.</summary>
internal static class CliMode
{
    /// <summary>Exit code for bad arguments or inputs.</summary>
    public const int InputErrorExitCode = 2;

    /// <summary>Parses the arguments and runs; returns 0 on success, 1 on failure, 2 on bad input.</summary>
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(CliOptions))]
    public static async Task<int> RunAsync(
        string[] args,
        AgentEnvironment environment,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        using var parser = new Parser(settings =>
        {
            settings.HelpWriter = output;
            settings.CaseInsensitiveEnumValues = true;
            settings.AutoVersion = true;
        });
        var parsed = parser.ParseArguments<CliOptions>(args);
        if (parsed is not Parsed<CliOptions> { Value: var options })
        {
            var helpOrVersion = ((NotParsed<CliOptions>)parsed).Errors.All(e => e.Tag is ErrorType.HelpRequestedError
                or ErrorType.VersionRequestedError);
            return helpOrVersion ? 0 : InputErrorExitCode;
        }

        var reporter = new ConsoleReporter(output, error, options.Verbose);
        var errors = new List<InputError>();
        var subscription = options.Subscription ?? environment.Get("AZURE_SUBSCRIPTION_ID") ?? "";
        if (InputRules.SubscriptionId(subscription) is { } reason)
        {
            errors.Add(new InputError("subscription", subscription.Length == 0
                ? "Option --subscription is required (or set AZURE_SUBSCRIPTION_ID)."
                : $"Option --subscription ('{RequestReader.Echo(subscription)}') {reason}"));
        }

        foreach (var stray in options.Stray ?? [])
        {
            // CommandLineParser takes "--what-if false" as the switch and a word of no option.
            errors.Add(new InputError("arguments", $"'{RequestReader.Echo(stray)}' belongs to no option. Switches such "
                + "as --what-if take no value; give an option's value as --option=value when it starts with '-'."));
        }

        var cloud = ReadCloud(options, errors);
        RunRequest? request = null;
        try
        {
            request = RequestReader.Read(TaskInputs.FromCli(options), subscription);
        }
        catch (InputValidationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        if (errors.Count > 0 || request is null)
        {
            foreach (var e in errors)
            {
                reporter.Error(e.Message);
            }

            return InputErrorExitCode;
        }

        var credential = AzureCredentials.Developer(cloud, options.Tenant);
        var outcome = await Execution.RunAsync(
            request, credential, cloud, null, environment, reporter, cancellationToken);
        return outcome switch
        {
            RunOutcome.Succeeded or RunOutcome.SucceededWithIssues => 0,
            RunOutcome.Canceled => 130,
            _ => 1,
        };
    }

    private static AzureCloud ReadCloud(CliOptions options, List<InputError> errors)
    {
        var cloud = AzureCloud.Find(options.Cloud ?? "AzureCloud");
        if (cloud is null)
        {
            errors.Add(new InputError("cloud",
                $"Option --cloud ('{RequestReader.Echo(options.Cloud!)}') must be AzureCloud, AzureUSGovernment or "
                + "AzureChinaCloud."));
            return AzureCloud.Public;
        }

        Uri Https(string? value, Uri fallback, string option)
        {
            if (value is null)
            {
                return fallback;
            }

            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
            {
                return uri;
            }

            errors.Add(new InputError(
                option, $"Option --{option} ('{RequestReader.Echo(value)}') must be an https URL."));
            return fallback;
        }

        return cloud with
        {
            ResourceManager = Https(options.ArmEndpoint, cloud.ResourceManager, "arm-endpoint"),
            AuthorityHost = Https(options.AuthorityHost, cloud.AuthorityHost, "authority-host"),
            ResourceManagerAudience = options.ArmAudience ?? cloud.ResourceManagerAudience,
        };
    }
}
