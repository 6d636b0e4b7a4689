using MidirEdge.Models.Building;
using MidirEdge.Models.Learners;
using Xunit.Abstractions;

namespace MidirEdge.Models.Tests.Building;

public sealed class IntervalCoverageTests(ITestOutputHelper output)
{
    public static TheoryData<string> DemoTargets() => ["C", "N", "pH", "clay", "CEC_eff", "ex_Ca", "ex_K"];

    [Theory]
    [MemberData(nameof(DemoTargets))]
    public void Ninety_percent_intervals_cover_85_to_95_percent_of_unseen_soils(string target)
    {
        var result = IntervalCoverage.Run(YamsysTable.Table, "sample_id", target, [CandidatePipeline.StandardNormalVariate], [new PlsLearner()],
            new BuildOptions(Repeats: 2));
        output.WriteLine($"{target}: {result.Covered}/{result.WithInterval} covered ({result.Coverage:P1}); {result.OutOfDomain} of {result.Predicted} outside the domain, "
            + $"{result.OutOfDomainCovered} of {result.OutOfDomainWithInterval} widened intervals covered ({result.OutOfDomainCoverage:P1}), {result.Predicted - result.WithInterval} without interval");
        Assert.True(result.WithInterval >= 0.95 * result.Predicted, $"{result.WithInterval} of {result.Predicted} predictions had an interval");
        Assert.InRange(result.Coverage, 0.85, 0.95);
    }
}
