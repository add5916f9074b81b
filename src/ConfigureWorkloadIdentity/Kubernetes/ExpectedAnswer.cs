namespace ConfigureWorkloadIdentity.Kubernetes;

/// <summary>The value an expected error answer stands for (a 404 read as "not there").</summary>
internal sealed record ExpectedAnswer<T>(T Value);
