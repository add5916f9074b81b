namespace ConfigureWorkloadIdentity.Tests.EndToEnd;

/// <summary>The world a permission's When condition needs for the default mode to call it.</summary>
public enum LeastPrivilegeSetup
{
    /// <summary>The reference scenario (nothing in the cluster yet) with roleAssignments.</summary>
    Reference,

    /// <summary>createIdentity for a missing identity, with roleAssignments.</summary>
    CreateIdentity,

    /// <summary>The ServiceAccount exists, not bound yet; a Deployment without the pod label runs as it.</summary>
    Hints,
}
