namespace ConfigureWorkloadIdentity.Binding;

/// <summary>One binding as a step goes through it: read, planned, done.</summary>
internal sealed class BindingState(BindingRequest request)
{
    public BindingRequest Request { get; } = request;

    public ObservedState? State { get; set; }

    public BindingPlan? Plan { get; set; }

    public BindingResult? Result { get; set; }
}
