using Azure.Core;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>Azure.Core client options for our ARM pipeline (retries, transport, diagnostics).</summary>
internal sealed class ArmPipelineOptions : ClientOptions
{
    /// <summary>Options with a product user agent and no content logging.</summary>
    public ArmPipelineOptions()
    {
        // Azure.Core limits the application id to 24 characters; it prefixes the User-Agent.
        Diagnostics.ApplicationId = "ConfigureWorkloadId";
        Diagnostics.IsLoggingContentEnabled = false;
        Diagnostics.IsDistributedTracingEnabled = false;
        Retry.NetworkTimeout = RequestTimeout.PerAttempt;
    }
}
