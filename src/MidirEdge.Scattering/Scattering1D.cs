using System.Collections.Concurrent;
using MidirEdge.Scattering.FilterBank;
using MidirEdge.Scattering.Fourier;

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
    private readonly ConcurrentBag<ScatteringWorkspace> _workspaces = new();
    private readonly ScatteringPath[] _paths;
    private readonly int _firstOrderCount;

    /// <summary>Creates a transform for a validated configuration.</summary>
    public Scattering1D(ScatteringParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        _bank = ScatteringFilterBank.For(parameters);
        _paths = BuildPaths(_bank, parameters.MaxOrder);
        _firstOrderCount = _bank.First.Length;
        var ls = parameters.Log2Stride;
        TimeLength = parameters.Average == ScatteringAverage.Global ? 1 : _bank.IndexEnd[ls] - _bank.IndexStart[ls];
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
        var workspace = Rent();
        try
        {
            Compute(signal, destination, workspace);
        }
        finally
        {
            _workspaces.Add(workspace);
        }
    }

    /// <summary>Float32 overload: computed in double precision, results rounded to float.</summary>
    public void Transform(ReadOnlySpan<float> signal, Span<float> destination)
    {
        CheckShapes(signal.Length, destination.Length);
        var workspace = Rent();
        try
        {
            for (var i = 0; i < signal.Length; i++) workspace.Signal[i] = signal[i];
            if (workspace.Output.Length != OutputLength) workspace.Output = new double[OutputLength];
            Compute(workspace.Signal, workspace.Output, workspace);
            for (var i = 0; i < destination.Length; i++) destination[i] = (float)workspace.Output[i];
        }
        finally
        {
            _workspaces.Add(workspace);
        }
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
        var n = SignalLength;
        if (signals.Length % n != 0)
            throw new ArgumentException($"batch length {signals.Length} is not a multiple of the signal length {n}.", nameof(signals));
        var rows = signals.Length / n;
        if (destination.Length != rows * OutputLength)
            throw new ArgumentException($"destination holds {destination.Length} values; {rows} signals need {rows * OutputLength}.", nameof(destination));
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "use -1 (all cores) or a positive thread count.");
        CheckFinite(signals.Span);

        if (maxDegreeOfParallelism == 1 || rows == 1)
        {
            var workspace = Rent();
            try
            {
                for (var r = 0; r < rows; r++)
                    Compute(signals.Span.Slice(r * n, n), destination.Span.Slice(r * OutputLength, OutputLength), workspace);
            }
            finally
            {
                _workspaces.Add(workspace);
            }
            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var chunk = Math.Max(1, rows / (4 * Environment.ProcessorCount));
        Parallel.ForEach(Partitioner.Create(0, rows, chunk), options, range =>
        {
            var workspace = Rent();
            try
            {
                for (var r = range.Item1; r < range.Item2; r++)
                    Compute(signals.Span.Slice(r * n, n), destination.Span.Slice(r * OutputLength, OutputLength), workspace);
            }
            finally
            {
                _workspaces.Add(workspace);
            }
        });
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

    private static void CheckFinite(ReadOnlySpan<double> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"signal value at index {i} is {values[i]}; scattering needs finite values.");
        }
    }

    private ScatteringWorkspace Rent() =>
        _workspaces.TryTake(out var workspace) ? workspace : new ScatteringWorkspace(_bank.PaddedLength, SignalLength);

    private void Compute(ReadOnlySpan<double> signal, Span<double> output, ScatteringWorkspace w)
    {
        var p = Parameters;
        var bank = _bank;
        var np = bank.PaddedLength;
        var global = p.Average == ScatteringAverage.Global;
        var ls = p.Log2Stride;
        var log2T = p.Log2T;
        var v03 = p.Version == KymatioVersion.V0_3;
        var oversampling = log2T - ls;
        var time = TimeLength;
        var start = bank.IndexStart[ls];

        // Reflection padding (numpy 'reflect': the edge sample is not repeated).
        var padded = w.Padded.AsSpan(0, np);
        var left = bank.PadLeft;
        var n = signal.Length;
        for (var i = 0; i < n; i++)
        {
            var v = signal[i];
            if (!double.IsFinite(v)) throw new ArgumentException($"signal value at index {i} is {v}; scattering needs finite values.");
            padded[left + i] = v;
        }
        for (var i = 0; i < left; i++) padded[left - 1 - i] = signal[i + 1];
        for (var i = 0; i < bank.PadRight; i++) padded[left + n + i] = signal[n - 2 - i];

        RealFft.ForLength(np).Forward(padded, w.U0Re, w.U0Im);

        // Order 0.
        if (global) output[0] = Sum(padded);
        else LowPass(w.U0Re, w.U0Im, np, bank.LowPassEven[0], bank.LowPassSupports[0], ls, start, output[..time], w);

        var secondRow = 1 + _firstOrderCount;
        var first = bank.First;
        var second = bank.Second;
        var maxJ2 = second.Length > 0 ? second[0].J : -1;
        for (var i = 1; i < second.Length; i++) maxJ2 = Math.Max(maxJ2, second[i].J);

        for (var n1 = 0; n1 < first.Length; n1++)
        {
            var psi1 = first[n1];
            var j1 = psi1.J;
            int k1 = global ? j1 : v03 ? Math.Max(Math.Min(j1, log2T) - oversampling, 0) : Math.Min(j1, ls);
            var l1 = np >> k1;
            BandPassModulus(w.U0Re, w.U0Im, np, psi1.Levels[0], psi1.Supports[0], k1, w.U1Re, w.U1Im, w);

            var hasChildren = maxJ2 > j1;
            var row = output.Slice((1 + n1) * time, time);
            if (global) row[0] = ModulusSum(w.U1Re, w.U1Im, l1);
            if (!global || hasChildren) RealFft.ForLength(l1).ForwardFromBitReversed(w.U1Re, w.U1Im);
            if (!global) LowPass(w.U1Re, w.U1Im, l1, bank.LowPassEven[k1], bank.LowPassSupports[k1], Math.Max(ls - k1, 0), start, row, w);

            if (!hasChildren) continue;
            for (var n2 = 0; n2 < second.Length; n2++)
            {
                var psi2 = second[n2];
                var j2 = psi2.J;
                if (j2 <= j1) continue;
                int k2 = global ? Math.Max(j2 - k1, 0)
                    : v03 ? Math.Max(Math.Min(j2, log2T) - k1 - oversampling, 0)
                    : Math.Max(Math.Min(j2, ls) - k1, 0);
                var l2 = l1 >> k2;
                BandPassModulus(w.U1Re, w.U1Im, l1, psi2.Levels[k1], psi2.Supports[k1], k2, w.U2Re, w.U2Im, w);
                var row2 = output.Slice(secondRow * time, time);
                secondRow++;
                if (global)
                {
                    row2[0] = ModulusSum(w.U2Re, w.U2Im, l2);
                }
                else
                {
                    RealFft.ForLength(l2).ForwardFromBitReversed(w.U2Re, w.U2Im);
                    LowPass(w.U2Re, w.U2Im, l2, bank.LowPassEven[k1 + k2], bank.LowPassSupports[k1 + k2], Math.Max(ls - k1 - k2, 0), start, row2, w);
                }
            }
        }
    }

    /// <summary>
    /// |ifft(periodise(spectrum · filter, 2^k))| (length m = L / 2^k, bit-reversed order), its first half into
    /// <paramref name="firstHalf"/> and its second half into <paramref name="secondHalf"/>: the layout the real FFT
    /// of the modulus takes (a length-1 modulus goes to firstHalf[0]).
    /// </summary>
    private static void BandPassModulus(double[] re, double[] im, int length, double[] filter, int[] support, int k,
        double[] firstHalf, double[] secondHalf, ScatteringWorkspace w)
    {
        var m = length >> k;
        var outRe = w.WorkRe.AsSpan(0, m);
        var outIm = w.WorkIm.AsSpan(0, m);
        outRe.Clear();
        outIm.Clear();
        for (var r = 0; r < support.Length; r += 2)
        {
            // Periodising by 2^k folds index i onto i mod m; split the run at multiples of m.
            for (var from = support[r]; from < support[r + 1];)
            {
                var to = Math.Min(support[r + 1], (from / m + 1) * m);
                var count = to - from;
                var at = from % m;
                SpectrumMath.MultiplyAccumulate(re.AsSpan(from, count), im.AsSpan(from, count), filter.AsSpan(from, count),
                    outRe.Slice(at, count), outIm.Slice(at, count));
                from = to;
            }
        }
        // Left in bit-reversed order: the modulus does not care and the next real FFT takes it as is.
        // The mean over 2^k periods and the inverse FFT's 1/m are applied with the modulus.
        Fft.ForLength(m).InverseModulusToBitReversed(outRe, outIm, 1.0 / length, firstHalf, secondHalf);
    }

    /// <summary>Sum of a modulus of length m stored in halves (see <see cref="BandPassModulus"/>).</summary>
    private static double ModulusSum(double[] firstHalf, double[] secondHalf, int m) =>
        m == 1 ? firstHalf[0] : Sum(firstHalf.AsSpan(0, m / 2)) + Sum(secondHalf.AsSpan(0, m / 2));

    /// <summary>
    /// Re(ifft(periodise(spectrum · phi, 2^a))) restricted to the unpadded window, via a real inverse FFT
    /// of the Hermitian part (phi's even part; see <see cref="ScatteringFilterBank.LowPassEven"/>).
    /// </summary>
    private static void LowPass(double[] re, double[] im, int length, double[] phiEven, int[] support, int a, int start, Span<double> destination, ScatteringWorkspace w)
    {
        var m = length >> a;
        var half = m / 2;
        var hr = w.LowRe.AsSpan(0, half + 1);
        var hi = w.LowIm.AsSpan(0, half + 1);
        hr.Clear();
        hi.Clear();
        for (var r = 0; r < support.Length; r += 2)
        {
            // Only bins 0..m/2 of the periodised spectrum are needed (the rest is their conjugate).
            for (var from = support[r]; from < support[r + 1];)
            {
                var blockStart = from / m * m;
                var to = Math.Min(support[r + 1], blockStart + m);
                var at = from - blockStart;
                var count = Math.Min(to, blockStart + half + 1) - from;
                if (count > 0)
                {
                    SpectrumMath.MultiplyAccumulate(re.AsSpan(from, count), im.AsSpan(from, count), phiEven.AsSpan(from, count),
                        hr.Slice(at, count), hi.Slice(at, count));
                }
                from = to;
            }
        }
        RealFft.ForLength(m).InverseWindow(hr, hi, (double)m / length, start, destination);
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var sum = 0.0;
        for (var i = 0; i < values.Length; i++) sum += values[i];
        return sum;
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
