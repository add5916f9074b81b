using Azure.Core;

namespace ConfigureWorkloadIdentity.Azure;

/// <summary>Azure.Core client options for our ARM pipeline (retries, transport, diagnostics).</summary>
internal sealed class ArmPipelineOptions : ClientOptions
{
    /// <summary>Options with a product user agent and no content logging.</summary>
    public ArmPipelineOptions()
    {
        Diagnostics.ApplicationId = "ConfigureWorkloadIdentity";
        Diagnostics.IsLoggingContentEnabled = false;
        Diagnostics.IsDistributedTracingEnabled = false;
    }
}
