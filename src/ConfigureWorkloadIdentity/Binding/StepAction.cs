namespace ConfigureWorkloadIdentity.Binding;

/// <summary>What a step does with its bindings (input <c>action</c>).</summary>
internal enum StepAction
{
    /// <summary>Make the world match the bindings: credentials, role assignments, ServiceAccounts.</summary>
    Apply,

    /// <summary>Take back what apply made: the binding's credential, our ServiceAccount fields, our roles.</summary>
    Remove,

    /// <summary>Do the Azure side and write the ServiceAccount manifests to a file; the cluster is untouched.</summary>
    Render,
}
