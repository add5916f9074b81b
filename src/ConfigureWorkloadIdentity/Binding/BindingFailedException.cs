namespace ConfigureWorkloadIdentity.Binding;

/// <summary>A binding cannot be made as asked; the message says why and what to do.</summary>
internal sealed class BindingFailedException(string message, Exception? inner = null) : Exception(message, inner);
