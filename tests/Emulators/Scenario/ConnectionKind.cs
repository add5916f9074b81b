namespace ConfigureWorkloadIdentity.Emulators.Scenario;

/// <summary>How the world's Azure Resource Manager service connection signs in.</summary>
public enum ConnectionKind
{
    /// <summary>ServicePrincipal, spnKey: a client secret.</summary>
    SpnSecret,

    /// <summary>ServicePrincipal, spnCertificate: a PEM certificate with its private key.</summary>
    SpnCertificate,

    /// <summary>WorkloadIdentityFederation: an app registration trusting the Azure DevOps issuer.</summary>
    WorkloadIdentityFederation,

    /// <summary>ManagedServiceIdentity: the agent machine's system-assigned identity.</summary>
    ManagedIdentity,
}
