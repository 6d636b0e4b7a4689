using MidirEdge.Models.Pls;

namespace MidirEdge.Models.Tests.Building;

public sealed class ConcordanceTests
{
    [Fact]
    public void Lins_ccc_is_one_on_the_identity_line_and_penalises_a_shift()
    {
        double[] observed = [1, 2, 3, 4];
        Assert.Equal(1, RegressionStatistics.Compute(observed, observed).Ccc, 12);
        // s_o² = s_p² = s_op = 1.25 (moments over n), shift 1: 2·1.25 / (1.25 + 1.25 + 1).
        Assert.Equal(2.5 / 3.5, RegressionStatistics.Compute(observed, [2, 3, 4, 5]).Ccc, 12);
        Assert.Equal(-1, RegressionStatistics.Compute(observed, [4, 3, 2, 1]).Ccc, 12);
    }
}
