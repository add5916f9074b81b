namespace ConfigureWorkloadIdentity.Failures;

/// <summary>One Entra ID AADSTS code: what it means, and the fix for each party that signs in.</summary>
/// <param name="Code">The AADSTS number.</param>
/// <param name="Meaning">What Entra ID says in plain words.</param>
/// <param name="ConnectionFix">What to do when the service connection's sign-in failed with it.</param>
/// <param name="WorkloadFix">What to do when the verification's ServiceAccount token exchange failed with it.</param>
internal sealed record EntraCode(int Code, string Meaning, string ConnectionFix, string WorkloadFix);
