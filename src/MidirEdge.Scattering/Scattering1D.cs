using System.Numerics;
using MidirEdge.Scattering.FilterBank;

namespace MidirEdge.Scattering;

/// <summary>
/// 1-D wavelet scattering transform that reproduces Kymatio's <c>Scattering1D</c> (numpy frontend)
/// number for number: Morlet filter bank, reflection padding to a power of two, wavelet modulus
/// cascade to order 1 or 2, low-pass averaging, subsampling and unpadding.
/// </summary>
/// <remarks>
/// Filter banks are built once per configuration and shared; an instance is thread-safe and every
/// transform after the first on a thread runs without allocating. Output is row-major
/// [path, time] per signal, paths in Kymatio's order (order 0, order 1 by n1, order 2 by (n1, n2)).
/// </remarks>
public sealed class Scattering1D
{
    private readonly ScatteringFilterBank _bank;
    private readonly ScatteringPath[] _paths;
    private readonly ScatteringCascade<double> _double;
    private ScatteringCascade<float>? _single;

    /// <summary>Creates a transform for a validated configuration.</summary>
    public Scattering1D(ScatteringParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        _bank = ScatteringFilterBank.For(parameters);
        _paths = BuildPaths(_bank, parameters.MaxOrder);
        var ls = parameters.Log2Stride;
        TimeLength = parameters.Average == ScatteringAverage.Global ? 1 : _bank.IndexEnd[ls] - _bank.IndexStart[ls];
        _double = new ScatteringCascade<double>(parameters, _bank, TimeLength, OutputLength);
    }

    /// <summary>Creates a transform: J, signal length N, Q1/Q2, T, max order, stride, averaging, Kymatio version.</summary>
    public Scattering1D(int j, int length, int q1 = 1, int q2 = 1, int? t = null, int maxOrder = 2, int? stride = null,
        ScatteringAverage average = ScatteringAverage.Local, KymatioVersion version = KymatioVersion.V0_3)
        : this(new ScatteringParameters(j, length, q1, q2, t, maxOrder, stride, average, version))
    {
    }

    /// <summary>The configuration.</summary>
    public ScatteringParameters Parameters { get; }

    /// <summary>Input signal length N.</summary>
    public int SignalLength => Parameters.Length;

    /// <summary>Number of paths (output rows) per signal.</summary>
    public int PathCount => _paths.Length;

    /// <summary>Number of time samples per path.</summary>
    public int TimeLength { get; }

    /// <summary>Number of output values per signal (PathCount × TimeLength).</summary>
    public int OutputLength => PathCount * TimeLength;

    /// <summary>Padded length used internally (a power of two).</summary>
    public int PaddedLength => _bank.PaddedLength;

    /// <summary>Metadata of every path, in output order.</summary>
    public IReadOnlyList<ScatteringPath> Paths => _paths;

    /// <summary>Scattering of one signal into a new [path × time] row-major array.</summary>
    public double[] Transform(ReadOnlySpan<double> signal)
    {
        var output = new double[OutputLength];
        Transform(signal, output);
        return output;
    }

    /// <summary>Scattering of one signal into <paramref name="destination"/> ([path × time], row-major).</summary>
    public void Transform(ReadOnlySpan<double> signal, Span<double> destination)
    {
        CheckShapes(signal.Length, destination.Length);
        _double.Transform(signal, destination);
    }

    /// <summary>Float32 scattering of one signal into a new [path × time] row-major array (see the span overload).</summary>
    public float[] Transform(ReadOnlySpan<float> signal)
    {
        var output = new float[OutputLength];
        Transform(signal, output);
        return output;
    }

    /// <summary>
    /// Float32 overload: the signal's spectrum in double, everything after it in single precision (FFTs on 8 lanes
    /// per vector), about 1.7× as fast as double. Against Kymatio, coefficients stay within ~6e-6 of their path's
    /// largest one, and within ~1e-9 of the strongest path's on paths far weaker than that.
    /// </summary>
    public void Transform(ReadOnlySpan<float> signal, Span<float> destination)
    {
        CheckShapes(signal.Length, destination.Length);
        Single.Transform(signal, destination);
    }

    /// <summary>
    /// Scattering of a batch of signals stored back to back in <paramref name="signals"/>
    /// (rows × N) into <paramref name="destination"/> (rows × PathCount × TimeLength), in parallel
    /// over signals.
    /// </summary>
    /// <param name="signals">Signals, row-major.</param>
    /// <param name="destination">Output, row-major.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all cores, 1 for the calling thread only.</param>
    public void TransformBatch(ReadOnlyMemory<double> signals, Memory<double> destination, int maxDegreeOfParallelism = -1)
    {
        CheckBatch(signals.Span, destination.Length, maxDegreeOfParallelism);
        _double.TransformBatch(signals, destination, maxDegreeOfParallelism);
    }

    /// <summary>Float32 batch (see <see cref="TransformBatch(ReadOnlyMemory{double}, Memory{double}, int)"/>), computed in single precision.</summary>
    /// <param name="signals">Signals, row-major.</param>
    /// <param name="destination">Output, row-major.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all cores, 1 for the calling thread only.</param>
    public void TransformBatch(ReadOnlyMemory<float> signals, Memory<float> destination, int maxDegreeOfParallelism = -1)
    {
        CheckBatch(signals.Span, destination.Length, maxDegreeOfParallelism);
        Single.TransformBatch(signals, destination, maxDegreeOfParallelism);
    }

    /// <summary>The single-precision cascade, built on first use (it converts the filter spectra to float).</summary>
    private ScatteringCascade<float> Single => _single ?? CreateSingle();

    private ScatteringCascade<float> CreateSingle()
    {
        Interlocked.CompareExchange(ref _single, new ScatteringCascade<float>(Parameters, _bank, TimeLength, OutputLength), null);
        return _single;
    }

    /// <summary>Scattering of a batch of equal-length signals; one [path × time] array per signal.</summary>
    public double[][] TransformBatch(IReadOnlyList<double[]> signals, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var n = SignalLength;
        var packed = new double[signals.Count * n];
        for (var r = 0; r < signals.Count; r++)
        {
            if (signals[r] is null || signals[r].Length != n)
                throw new ArgumentException($"signal {r} has length {signals[r]?.Length ?? 0}; expected {n}.", nameof(signals));
            signals[r].CopyTo(packed, r * n);
        }
        var output = new double[signals.Count * OutputLength];
        TransformBatch(packed, output, maxDegreeOfParallelism);
        var result = new double[signals.Count][];
        for (var r = 0; r < signals.Count; r++) result[r] = output.AsSpan(r * OutputLength, OutputLength).ToArray();
        return result;
    }

    private void CheckShapes(int signalLength, int destinationLength)
    {
        if (signalLength != SignalLength)
            throw new ArgumentException($"signal has length {signalLength}; this transform expects {SignalLength}.");
        if (destinationLength != OutputLength)
            throw new ArgumentException($"destination holds {destinationLength} values; the output needs {OutputLength} ({PathCount} paths × {TimeLength}).");
    }

    private void CheckBatch<T>(ReadOnlySpan<T> signals, int destinationLength, int maxDegreeOfParallelism) where T : IFloatingPointIeee754<T>
    {
        var n = SignalLength;
        if (signals.Length % n != 0)
            throw new ArgumentException($"batch length {signals.Length} is not a multiple of the signal length {n}.", nameof(signals));
        var rows = signals.Length / n;
        if (destinationLength != rows * OutputLength)
            throw new ArgumentException($"destination holds {destinationLength} values; {rows} signals need {rows * OutputLength}.", "destination");
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "use -1 (all cores) or a positive thread count.");
        for (var i = 0; i < signals.Length; i++)
        {
            if (!T.IsFinite(signals[i]))
                throw new ArgumentException($"signal value at index {i} is {signals[i]}; scattering needs finite values.");
        }
    }

    private static ScatteringPath[] BuildPaths(ScatteringFilterBank bank, int maxOrder)
    {
        var paths = new List<ScatteringPath> { new(0, [], [], [], [], -1) };
        var first = bank.First;
        for (var n1 = 0; n1 < first.Length; n1++)
            paths.Add(new ScatteringPath(1, [n1], [first[n1].J], [first[n1].Xi], [first[n1].Sigma], -1));
        if (maxOrder >= 2)
        {
            for (var n1 = 0; n1 < first.Length; n1++)
            {
                for (var n2 = 0; n2 < bank.Second.Length; n2++)
                {
                    var psi2 = bank.Second[n2];
                    if (psi2.J <= first[n1].J) continue;
                    paths.Add(new ScatteringPath(2, [n1, n2], [first[n1].J, psi2.J], [first[n1].Xi, psi2.Xi],
                        [first[n1].Sigma, psi2.Sigma], 1 + n1));
                }
            }
        }
        return paths.ToArray();
    }
}
