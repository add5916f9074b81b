using ConfigureWorkloadIdentity.Failures;

namespace ConfigureWorkloadIdentity.Tests.Failures;

public sealed class EntraCodesTests
{
    /// <summary>The codes the references name (token endpoint errors, federation, issuer reachability).</summary>
    public static TheoryData<int> ReferencedCodes =>
        [7000215, 7000218, 700016, 70021, 700211, 700212, 700213, 7002138, 700024, 700027, 90002, 70011, 50166,
         90061, 53003];

    public static TheoryData<int> CataloguedCodes => [.. EntraCodes.All.Select(c => c.Code)];

    [Theory]
    [MemberData(nameof(ReferencedCodes))]
    public void Find_EveryReferencedCode_IsExplained(int code)
    {
        var found = EntraCodes.Find($"AADSTS{code}: something Entra says.\r\nTrace ID: 1\r\nCorrelation ID: 2");

        Assert.NotNull(found);
        Assert.Equal(code, found.Code);
    }

    [Theory]
    [MemberData(nameof(CataloguedCodes))]
    public void All_EachEntry_SaysWhatItMeansAndWhatToDoForBothParties(int code)
    {
        var entry = Assert.Single(EntraCodes.All, c => c.Code == code);

        Assert.False(string.IsNullOrWhiteSpace(entry.Meaning));
        Assert.EndsWith(".", entry.ConnectionFix, StringComparison.Ordinal);
        Assert.EndsWith(".", entry.WorkloadFix, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_LongerCodeSharingAPrefix_IsNotTakenForTheShorterOne()
    {
        Assert.Equal(7002138, EntraCodes.Find("AADSTS7002138: case")!.Code);
        Assert.Equal(700213, EntraCodes.Find("AADSTS700213: subject")!.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("no code here")]
    [InlineData("AADSTS1: not catalogued")]
    public void Find_NoCatalogedCode_IsNull(string? text) => Assert.Null(EntraCodes.Find(text));
}
