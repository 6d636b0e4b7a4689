using System.Numerics;
using MidirEdge.Scattering.FilterBank;

namespace MidirEdge.Scattering;

/// <summary>
/// What a configuration would cost, known before any filter is built: filter and path counts from the Morlet design, and
/// upper bounds of the padded length, the output and the filter-bank memory (the exact padding needs the low-pass filter).
/// </summary>
/// <param name="FirstOrderFilters">First-order wavelets.</param>
/// <param name="SecondOrderFilters">Second-order wavelets (0 for max order 1).</param>
/// <param name="Paths">Output rows: order 0, order 1, and the order-2 pairs whose second scale is coarser than the first.</param>
/// <param name="PaddedLength">Largest padded length the configuration can choose.</param>
/// <param name="TimeLength">Largest number of time samples per path.</param>
/// <param name="FilterBankValues">Largest number of doubles the filter bank holds (spectra at every subsampling level).</param>
public sealed record ScatteringSize(int FirstOrderFilters, int SecondOrderFilters, long Paths, int PaddedLength, long TimeLength, long FilterBankValues)
{
    /// <summary>Largest number of output values per signal.</summary>
    public long OutputLength => Paths * TimeLength;

    /// <summary>Sizes a configuration from its filter design alone (microseconds even for J = 24, Q = 256).</summary>
    public static ScatteringSize Of(ScatteringParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var first = MorletDesign.Family(parameters.J, parameters.Q1, parameters.Version);
        var second = parameters.MaxOrder >= 2 ? MorletDesign.Family(parameters.J, parameters.Q2, parameters.Version) : [];

        // Order-2 pairs (n1, n2) with j2 > j1, counted through a histogram of the second-order subsamplings.
        var j2Histogram = new long[64];
        foreach (var (xi, sigma) in second) j2Histogram[Math.Clamp(MorletDesign.MaxDyadicSubsampling(xi, sigma), 0, 63)]++;
        var coarser = new long[65];
        for (var j = 63; j >= 0; j--) coarser[j] = coarser[j + 1] + j2Histogram[j];
        long pairs = 0;
        foreach (var (xi, sigma) in first) pairs += coarser[Math.Clamp(MorletDesign.MaxDyadicSubsampling(xi, sigma) + 1, 0, 64)];

        var n = parameters.Length;
        var padded = 1 << BitOperations.Log2((ulong)(3L * n - 2));
        var time = (long)n / parameters.Stride + 2;
        // First-order spectra at the padded length; second-order ones and the low-pass periodised to every level (< 2×).
        var bank = (long)first.Count * padded + 2L * (second.Count + 1) * padded;
        return new ScatteringSize(first.Count, second.Count, 1 + first.Count + pairs, padded, time, bank);
    }
}
