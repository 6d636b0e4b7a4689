namespace MidirEdge.Scattering.FilterBank;

/// <summary>One band-pass filter of the bank: its parameters and its spectrum at each subsampling level.</summary>
internal sealed class WaveletFilter(double xi, double sigma, int j, double[][] levels)
{
    /// <summary>Centre frequency (cycles per sample, Nyquist = 0.5).</summary>
    public double Xi { get; } = xi;

    /// <summary>Frequency width.</summary>
    public double Sigma { get; } = sigma;

    /// <summary>Largest alias-free dyadic subsampling after this filter.</summary>
    public int J { get; } = j;

    /// <summary>Spectrum periodised for an input subsampled by 2^level (levels[0] = full padded length).</summary>
    public double[][] Levels { get; } = levels;

    /// <summary>Non-negligible index runs of each level (see <see cref="SpectralSupport"/>).</summary>
    public int[][] Supports { get; } = Array.ConvertAll(levels, SpectralSupport.Of);
}
