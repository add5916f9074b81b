namespace ConfigureWorkloadIdentity.Binding;

/// <summary>One bad input: which input, and a message that says what is wrong and how to fix it.</summary>
/// <param name="Input">The input's task.json name.</param>
/// <param name="Message">The whole message, naming the input.</param>
internal sealed record InputError(string Input, string Message);
