namespace ConfigureWorkloadIdentity.Binding;

/// <summary>What a run does to one object.</summary>
internal enum ChangeAction
{
    /// <summary>It already matches; nothing is written.</summary>
    Unchanged,

    /// <summary>It does not exist and is created.</summary>
    Create,

    /// <summary>It exists and is changed to match.</summary>
    Update,
}
