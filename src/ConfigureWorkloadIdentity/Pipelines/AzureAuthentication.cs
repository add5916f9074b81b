namespace ConfigureWorkloadIdentity.Pipelines;

/// <summary>How an Azure Resource Manager service connection signs in.</summary>
internal enum AzureAuthentication
{
    /// <summary>Scheme ServicePrincipal, authenticationType spnKey: a client secret.</summary>
    ClientSecret,

    /// <summary>Scheme ServicePrincipal, authenticationType spnCertificate: a PEM certificate with its key.</summary>
    ClientCertificate,

    /// <summary>Scheme WorkloadIdentityFederation: the job's OIDC token exchanged at Entra ID.</summary>
    WorkloadIdentityFederation,

    /// <summary>Scheme ManagedServiceIdentity: the agent machine's managed identity.</summary>
    ManagedIdentity,
}
