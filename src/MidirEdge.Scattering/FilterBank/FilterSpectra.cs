using System.Numerics;

namespace MidirEdge.Scattering.FilterBank;

/// <summary>The filter bank's spectra in the precision a transform computes in (for double, the bank's own arrays).</summary>
internal sealed class FilterSpectra<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public FilterSpectra(ScatteringFilterBank bank)
    {
        First = Array.ConvertAll(bank.First, f => Convert(f.Levels[0]));
        Second = Array.ConvertAll(bank.Second, f => Array.ConvertAll(f.Levels, Convert));
        LowPassEven = Array.ConvertAll(bank.LowPassEven, Convert);
    }

    /// <summary>Spectrum of each first-order wavelet at the padded length.</summary>
    public T[][] First { get; }

    /// <summary>Spectrum of each second-order wavelet at each subsampling level.</summary>
    public T[][][] Second { get; }

    /// <summary>See <see cref="ScatteringFilterBank.LowPassEven"/>.</summary>
    public T[][] LowPassEven { get; }

    private static T[] Convert(double[] values) =>
        typeof(T) == typeof(double) ? (T[])(object)values : Array.ConvertAll(values, v => T.CreateChecked(v));
}
