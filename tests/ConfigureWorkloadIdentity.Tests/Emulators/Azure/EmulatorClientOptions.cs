using Azure.Core;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Azure;

/// <summary>Plain Azure.Core client options (the base class is abstract).</summary>
internal sealed class EmulatorClientOptions : ClientOptions
{
}
