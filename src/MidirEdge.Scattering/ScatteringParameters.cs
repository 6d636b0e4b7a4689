using System.Numerics;

namespace MidirEdge.Scattering;

/// <summary>
/// The configuration of a 1-D scattering transform, validated on construction. Two instances with equal
/// values share one filter bank.
/// </summary>
public sealed record ScatteringParameters
{
    /// <summary>Validates and resolves a configuration (Kymatio's <c>Scattering1D(J, shape, Q, T, max_order)</c>).</summary>
    /// <param name="j">Log2 of the largest wavelet scale (J ≥ 1).</param>
    /// <param name="length">Signal length N.</param>
    /// <param name="q1">First-order wavelets per octave (Q1 ≥ 1).</param>
    /// <param name="q2">Second-order wavelets per octave (Q2 ≥ 1).</param>
    /// <param name="t">Width of the low-pass filter; default 2^J; at most N.</param>
    /// <param name="maxOrder">1 or 2.</param>
    /// <param name="stride">Output time step, a power of two ≤ 2^floor(log2 T); default 2^floor(log2 T).
    /// In 0.3 mode it stands for Kymatio 0.3's <c>oversampling = log2(T) - log2(stride)</c>.</param>
    /// <param name="average">Local (low-pass, default) or global (0.4 only).</param>
    /// <param name="version">Kymatio release to reproduce (default 0.3.0).</param>
    public ScatteringParameters(int j, int length, int q1 = 1, int q2 = 1, int? t = null, int maxOrder = 2,
        int? stride = null, ScatteringAverage average = ScatteringAverage.Local, KymatioVersion version = KymatioVersion.V0_3)
    {
        if (j < 1 || j > 24) throw new ArgumentOutOfRangeException(nameof(j), j, "J must be between 1 and 24.");
        if (length < 4) throw new ArgumentOutOfRangeException(nameof(length), length, "signal length must be at least 4.");
        if (q1 < 1 || q1 > 256) throw new ArgumentOutOfRangeException(nameof(q1), q1, "Q1 must be between 1 and 256.");
        if (q2 < 1 || q2 > 256) throw new ArgumentOutOfRangeException(nameof(q2), q2, "Q2 must be between 1 and 256.");
        if (maxOrder is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(maxOrder), maxOrder, "max order must be 1 or 2.");
        if (!Enum.IsDefined(average)) throw new ArgumentOutOfRangeException(nameof(average), average, "unknown averaging mode.");
        if (!Enum.IsDefined(version)) throw new ArgumentOutOfRangeException(nameof(version), version, "unknown Kymatio version.");

        if (average == ScatteringAverage.Global)
        {
            if (version == KymatioVersion.V0_3)
                throw new ArgumentException("global averaging does not exist in Kymatio 0.3; use version 0.4.", nameof(average));
            if (t is not null) throw new ArgumentException("T cannot be set with global averaging (Kymatio uses 2^J).", nameof(t));
            if (stride is not null) throw new ArgumentException("stride cannot be set with global averaging.", nameof(stride));
        }

        var resolvedT = t ?? (1 << j);
        if (t is not null && t < 1) throw new ArgumentOutOfRangeException(nameof(t), t, "T must be at least 1.");
        if (resolvedT > length)
        {
            throw t is null
                ? new ArgumentOutOfRangeException(nameof(j), j, $"J = {j} is too large for signals of length {length}: 2^J = {resolvedT} exceeds the length (give a smaller J or an explicit T ≤ {length}).")
                : new ArgumentOutOfRangeException(nameof(t), t, $"T = {t} exceeds the signal length {length}.");
        }
        var log2T = BitOperations.Log2((uint)resolvedT);

        var resolvedStride = stride ?? (1 << log2T);
        if (resolvedStride < 1 || !BitOperations.IsPow2(resolvedStride) || resolvedStride > 1 << log2T)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be a power of two between 1 and {1 << log2T}.");

        J = j;
        Length = length;
        Q1 = q1;
        Q2 = q2;
        T = resolvedT;
        MaxOrder = maxOrder;
        Stride = resolvedStride;
        Average = average;
        Version = version;
    }

    /// <summary>Log2 of the largest wavelet scale.</summary>
    public int J { get; }

    /// <summary>Signal length N.</summary>
    public int Length { get; }

    /// <summary>First-order wavelets per octave.</summary>
    public int Q1 { get; }

    /// <summary>Second-order wavelets per octave.</summary>
    public int Q2 { get; }

    /// <summary>Width of the low-pass filter (resolved; 2^J by default).</summary>
    public int T { get; }

    /// <summary>Highest scattering order (1 or 2).</summary>
    public int MaxOrder { get; }

    /// <summary>Output time step (resolved; 2^floor(log2 T) by default).</summary>
    public int Stride { get; }

    /// <summary>Local or global averaging.</summary>
    public ScatteringAverage Average { get; }

    /// <summary>Kymatio release reproduced.</summary>
    public KymatioVersion Version { get; }

    /// <summary>floor(log2 T).</summary>
    public int Log2T => BitOperations.Log2((uint)T);

    /// <summary>log2 of the stride.</summary>
    public int Log2Stride => BitOperations.Log2((uint)Stride);
}
