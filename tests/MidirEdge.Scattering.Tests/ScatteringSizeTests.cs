namespace MidirEdge.Scattering.Tests;

public sealed class ScatteringSizeTests
{
    [Theory]
    [InlineData(6, 1716, 8, 1, null, 2)]
    [InlineData(4, 1716, 16, 2, 8, 2)]
    [InlineData(8, 4096, 12, 4, null, 2)]
    [InlineData(5, 1000, 8, 1, null, 1)]
    public void The_size_matches_the_built_transform_or_bounds_it(int j, int length, int q1, int q2, int? t, int maxOrder)
    {
        var parameters = new ScatteringParameters(j, length, q1, q2, t, maxOrder);
        var size = ScatteringSize.Of(parameters);
        var transform = new Scattering1D(parameters);

        Assert.Equal(transform.PathCount, size.Paths);
        Assert.True(size.PaddedLength >= transform.PaddedLength);
        Assert.True(size.TimeLength >= transform.TimeLength);
        Assert.True(size.OutputLength >= transform.OutputLength);
    }

    [Fact]
    public void A_huge_configuration_is_sized_without_building_it()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var size = ScatteringSize.Of(new ScatteringParameters(24, 1716, 256, 256, 16));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20);
        Assert.True(size.Paths > 10_000_000);
        Assert.True(size.FilterBankValues * sizeof(double) > 256L << 20);
    }
}
