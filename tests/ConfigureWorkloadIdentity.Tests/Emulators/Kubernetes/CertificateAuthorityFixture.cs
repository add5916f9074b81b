using ConfigureWorkloadIdentity.Emulators.Hosting;

namespace ConfigureWorkloadIdentity.Tests.Emulators.Kubernetes;

/// <summary>One emulator CA per test class: key generation is the slowest part of starting an emulator.</summary>
public sealed class CertificateAuthorityFixture : IDisposable
{
    /// <summary>The shared CA.</summary>
    public TestCertificateAuthority Authority { get; } = new();

    /// <inheritdoc />
    public void Dispose() => Authority.Dispose();
}
