using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MidirEdge.Scattering.FilterBank;
using MidirEdge.Scattering.Fourier;

namespace MidirEdge.Scattering;

/// <summary>
/// The wavelet modulus cascade of one configuration computed in precision <typeparamref name="T"/> (double or
/// float): padding, first and second order band-pass moduli, low-pass averaging and unpadding. Owns the filter
/// spectra in <typeparamref name="T"/> and a pool of workspaces, so each transform after the first on a thread
/// runs without allocating.
/// </summary>
internal sealed class ScatteringCascade<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ScatteringParameters _parameters;
    private readonly ScatteringFilterBank _bank;
    private readonly FilterSpectra<T> _spectra;
    private readonly ConcurrentBag<ScatteringWorkspace<T>> _workspaces = new();
    private readonly int _timeLength;
    private readonly int _outputLength;

    /// <summary>FFT plans by log2 of their length, looked up once rather than in the shared cache on each of ~200 calls.</summary>
    private readonly Fft<T>[] _complex;
    private readonly RealFft<T>[] _real;

    public ScatteringCascade(ScatteringParameters parameters, ScatteringFilterBank bank, int timeLength, int outputLength)
    {
        _parameters = parameters;
        _bank = bank;
        _spectra = new FilterSpectra<T>(bank);
        _timeLength = timeLength;
        _outputLength = outputLength;
        var bits = BitOperations.Log2((uint)bank.PaddedLength);
        _complex = new Fft<T>[bits + 1];
        _real = new RealFft<T>[bits + 1];
        for (var b = 0; b <= bits; b++)
        {
            _complex[b] = Fft<T>.ForLength(1 << b);
            _real[b] = RealFft<T>.ForLength(1 << b);
        }
    }

    /// <summary>One signal into its [path × time] output (shapes checked by the caller).</summary>
    public void Transform(ReadOnlySpan<T> signal, Span<T> destination)
    {
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

    /// <summary>Signals stored back to back (shapes checked by the caller), in parallel over signals.</summary>
    public void TransformBatch(ReadOnlyMemory<T> signals, Memory<T> destination, int maxDegreeOfParallelism)
    {
        var n = _parameters.Length;
        var rows = signals.Length / n;
        var size = _outputLength;
        if (maxDegreeOfParallelism == 1 || rows == 1)
        {
            var workspace = Rent();
            try
            {
                for (var r = 0; r < rows; r++)
                    Compute(signals.Span.Slice(r * n, n), destination.Span.Slice(r * size, size), workspace);
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
                    Compute(signals.Span.Slice(r * n, n), destination.Span.Slice(r * size, size), workspace);
            }
            finally
            {
                _workspaces.Add(workspace);
            }
        });
    }

    private ScatteringWorkspace<T> Rent() =>
        _workspaces.TryTake(out var workspace) ? workspace : new ScatteringWorkspace<T>(_bank.PaddedLength);

    private void Compute(ReadOnlySpan<T> signal, Span<T> output, ScatteringWorkspace<T> w)
    {
        var p = _parameters;
        var bank = _bank;
        var spectra = _spectra;
        var np = bank.PaddedLength;
        var global = p.Average == ScatteringAverage.Global;
        var ls = p.Log2Stride;
        var log2T = p.Log2T;
        var v03 = p.Version == KymatioVersion.V0_3;
        var oversampling = log2T - ls;
        var time = _timeLength;
        var start = bank.IndexStart[ls];

        T total;
        if (typeof(T) == typeof(double))
        {
            var padded = w.Padded[..np];
            Pad(signal, padded);
            Real(np).Forward(padded, w.U0Re, w.U0Im);
            total = global ? Sum(padded) : T.Zero;
        }
        else
        {
            // The signal's spectrum in double, rounded per bin: a single-precision FFT would leave errors of
            // ~1e-7 of the signal's (large, low-frequency) energy in the weak high-frequency bands the wavelets pick.
            var padded = w.Wide[..np];
            Pad(signal, padded);
            RealFft<double>.ForLength(np).Forward(padded, w.WideRe, w.WideIm);
            Narrow(w.WideRe[..np], MemoryMarshal.Cast<T, float>(w.U0Re[..np]));
            Narrow(w.WideIm[..np], MemoryMarshal.Cast<T, float>(w.U0Im[..np]));
            total = global ? T.CreateTruncating(Sum<double>(padded)) : T.Zero;
        }

        // Order 0.
        if (global) output[0] = total;
        else LowPass(w.U0Re, w.U0Im, np, spectra.LowPassEven[0], bank.LowPassSupports[0], ls, start, output[..time], w);

        var first = bank.First;
        var second = bank.Second;
        var secondRow = 1 + first.Length;
        var maxJ2 = second.Length > 0 ? second[0].J : -1;
        for (var i = 1; i < second.Length; i++) maxJ2 = Math.Max(maxJ2, second[i].J);

        for (var n1 = 0; n1 < first.Length; n1++)
        {
            var psi1 = first[n1];
            var j1 = psi1.J;
            int k1 = global ? j1 : v03 ? Math.Max(Math.Min(j1, log2T) - oversampling, 0) : Math.Min(j1, ls);
            var l1 = np >> k1;
            BandPassModulus(w.U0Re, w.U0Im, np, spectra.First[n1], psi1.Supports[0], k1, w.U1Re, w.U1Im, w);

            var hasChildren = maxJ2 > j1;
            var row = output.Slice((1 + n1) * time, time);
            if (global) row[0] = ModulusSum(w.U1Re, w.U1Im, l1);
            if (!global || hasChildren)
            {
                // Negative frequencies are read only inside the low-pass's and the children's supports, and so are the positive ones.
                var conjugatesFrom = global ? l1 : LowestUpperBin(bank.LowPassSupports[k1], l1);
                var binsBelow = global ? 0 : HighestLowerBin(bank.LowPassSupports[k1], l1);
                for (var n2 = 0; n2 < second.Length; n2++)
                {
                    if (second[n2].J <= j1) continue;
                    conjugatesFrom = Math.Min(conjugatesFrom, LowestUpperBin(second[n2].Supports[k1], l1));
                    binsBelow = Math.Max(binsBelow, HighestLowerBin(second[n2].Supports[k1], l1));
                }
                Real(l1).ForwardFromBitReversed(w.U1Re, w.U1Im, Real(l1).TakesTransposedModulus, conjugatesFrom, binsBelow);
            }
            if (!global) LowPass(w.U1Re, w.U1Im, l1, spectra.LowPassEven[k1], bank.LowPassSupports[k1], Math.Max(ls - k1, 0), start, row, w);

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
                BandPassModulus(w.U1Re, w.U1Im, l1, spectra.Second[n2][k1], psi2.Supports[k1], k2, w.U2Re, w.U2Im, w);
                var row2 = output.Slice(secondRow * time, time);
                secondRow++;
                if (global)
                {
                    row2[0] = ModulusSum(w.U2Re, w.U2Im, l2);
                }
                else
                {
                    var phi = bank.LowPassSupports[k1 + k2];
                    Real(l2).ForwardFromBitReversed(w.U2Re, w.U2Im, Real(l2).TakesTransposedModulus, LowestUpperBin(phi, l2), HighestLowerBin(phi, l2));
                    LowPass(w.U2Re, w.U2Im, l2, spectra.LowPassEven[k1 + k2], bank.LowPassSupports[k1 + k2], Math.Max(ls - k1 - k2, 0), start, row2, w);
                }
            }
        }
    }

    /// <summary>
    /// |ifft(periodise(spectrum · filter, 2^k))| (length m = L / 2^k, bit-reversed order), its first half into
    /// <paramref name="firstHalf"/> and its second half into <paramref name="secondHalf"/>: the layout the real FFT
    /// of the modulus takes (a length-1 modulus goes to firstHalf[0]).
    /// </summary>
    private void BandPassModulus(Span<T> re, Span<T> im, int length, T[] filter, int[] support, int k,
        Span<T> firstHalf, Span<T> secondHalf, ScatteringWorkspace<T> w)
    {
        var m = length >> k;
        var outRe = w.WorkRe[..m];
        var outIm = w.WorkIm[..m];
        var fft = _complex[BitOperations.Log2((uint)m)];
        var leadingBinsOnly = PeriodisedProduct(re, im, filter, support, m, outRe, outIm, fft.LeadingInputBins);
        // Left in bit-reversed order, and chunk-transposed where the next real FFT can take that: the modulus
        // does not care (nor does a sum of it), and the real FFT takes it as is.
        // The mean over 2^k periods and the inverse FFT's 1/m are applied with the modulus.
        fft.InverseModulusToBitReversed(outRe, outIm, T.One / T.CreateChecked(length), firstHalf, secondHalf,
            Real(m).TakesTransposedModulus, leadingBinsOnly);
    }

    /// <summary>Most folded pieces of a support handled without clearing every bin first.</summary>
    private const int MaxPieces = 64;

    /// <summary>
    /// out = periodise(spectrum · filter, to m bins): bin i gets the sum over the support's indices j ≡ i (mod m).
    /// Where the folded pieces of the support do not overlap, or one of them is a whole period, the first piece on a
    /// bin is written rather than added, so only the bins no piece reaches are cleared (clearing all m bins first took
    /// ~5% of a spectrum).
    /// </summary>
    /// <returns>
    /// Whether the product was written rotated down into bins [0, <paramref name="leadingBins"/>) instead, the rest
    /// left unwritten: when the pieces do not overlap and fit in that many bins. A rotation of the spectrum multiplies
    /// its inverse by a phase, which the modulus removes; the inverse FFT then skips most of its first pass.
    /// </returns>
    private static bool PeriodisedProduct(Span<T> re, Span<T> im, T[] filter, int[] support, int m, Span<T> outRe, Span<T> outIm, int leadingBins)
    {
        Span<(int From, int Count, int At)> pieces = stackalloc (int, int, int)[MaxPieces];
        var count = 0;
        var whole = -1;
        for (var r = 0; r < support.Length; r += 2)
        {
            // Periodising folds index j onto j mod m; split the run at multiples of m.
            for (var from = support[r]; from < support[r + 1];)
            {
                var to = Math.Min(support[r + 1], (from / m + 1) * m);
                if (count == MaxPieces)
                {
                    AccumulateAll(re, im, filter, support, m, outRe, outIm);
                    return false;
                }
                if (to - from == m) whole = count;
                pieces[count++] = (from, to - from, from % m);
                from = to;
            }
        }
        pieces = pieces[..count];
        if (whole >= 0)
        {
            // A whole period starts at a multiple of m, so it lands on every bin: write it, then add the others.
            var start = pieces[whole].From;
            SpectrumMath.Multiply<T>(re.Slice(start, m), im.Slice(start, m), filter.AsSpan(start, m), outRe, outIm, accumulate: false);
            for (var i = 0; i < count; i++)
            {
                if (i == whole) continue;
                var (from, n, at) = pieces[i];
                SpectrumMath.Multiply<T>(re.Slice(from, n), im.Slice(from, n), filter.AsSpan(from, n), outRe.Slice(at, n), outIm.Slice(at, n), accumulate: true);
            }
            return false;
        }
        if (count == 0)
        {
            outRe.Clear();
            outIm.Clear();
            return false;
        }
        pieces.Sort(static (a, b) => a.At.CompareTo(b.At));
        for (var i = 1; i < count; i++)
        {
            if (pieces[i - 1].At + pieces[i - 1].Count > pieces[i].At)
            {
                AccumulateAll(re, im, filter, support, m, outRe, outIm);
                return false;
            }
        }
        // The pieces cover the circle but for the gaps between them; rotated to start after the widest gap (the one
        // before piece `first`), they span m − widest bins.
        int first = 0, widest = m - pieces[^1].At - pieces[^1].Count + pieces[0].At;
        for (var i = 1; i < count; i++)
        {
            var gap = pieces[i].At - pieces[i - 1].At - pieces[i - 1].Count;
            if (gap > widest) (first, widest) = (i, gap);
        }
        var rotated = m - widest <= leadingBins;
        var shift = rotated ? pieces[first].At : 0;
        var end = rotated ? leadingBins : m;
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            var (from, n, at) = pieces[rotated ? (first + i) % count : i];
            at = (at - shift + m) % m;
            outRe[next..at].Clear();
            outIm[next..at].Clear();
            SpectrumMath.Multiply<T>(re.Slice(from, n), im.Slice(from, n), filter.AsSpan(from, n), outRe.Slice(at, n), outIm.Slice(at, n), accumulate: false);
            next = at + n;
        }
        outRe[next..end].Clear();
        outIm[next..end].Clear();
        return rotated;
    }

    /// <summary><see cref="PeriodisedProduct"/> the plain way: clear every bin, then add every folded piece.</summary>
    private static void AccumulateAll(Span<T> re, Span<T> im, T[] filter, int[] support, int m, Span<T> outRe, Span<T> outIm)
    {
        outRe.Clear();
        outIm.Clear();
        for (var r = 0; r < support.Length; r += 2)
        {
            for (var from = support[r]; from < support[r + 1];)
            {
                var to = Math.Min(support[r + 1], (from / m + 1) * m);
                var n = to - from;
                var at = from % m;
                SpectrumMath.Multiply<T>(re.Slice(from, n), im.Slice(from, n), filter.AsSpan(from, n), outRe.Slice(at, n), outIm.Slice(at, n), accumulate: true);
                from = to;
            }
        }
    }

    /// <summary>Sum of a modulus of length m stored in halves (see <see cref="BandPassModulus"/>).</summary>
    private static T ModulusSum(Span<T> firstHalf, Span<T> secondHalf, int m) =>
        m == 1 ? firstHalf[0] : Sum<T>(firstHalf[..(m / 2)]) + Sum<T>(secondHalf[..(m / 2)]);

    /// <summary>
    /// Re(ifft(periodise(spectrum · phi, 2^a))) restricted to the unpadded window, via a real inverse FFT
    /// of the Hermitian part (phi's even part; see <see cref="ScatteringFilterBank.LowPassEven"/>).
    /// </summary>
    private void LowPass(Span<T> re, Span<T> im, int length, T[] phiEven, int[] support, int a, int start, Span<T> destination, ScatteringWorkspace<T> w)
    {
        var m = length >> a;
        var half = m / 2;
        var hr = w.LowRe[..(half + 1)];
        var hi = w.LowIm[..(half + 1)];
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
                    SpectrumMath.Multiply<T>(re.Slice(from, count), im.Slice(from, count), phiEven.AsSpan(from, count),
                        hr.Slice(at, count), hi.Slice(at, count), accumulate: true);
                }
                from = to;
            }
        }
        Real(m).InverseWindow(hr, hi, T.CreateChecked((double)m / length), start, destination);
    }

    /// <summary>Lowest bin above length/2 inside <paramref name="support"/> (length when there is none).</summary>
    private static int LowestUpperBin(int[] support, int length)
    {
        var lowest = length;
        for (var r = 0; r < support.Length; r += 2)
        {
            if (support[r + 1] > length / 2 + 1) lowest = Math.Min(lowest, Math.Max(support[r], length / 2 + 1));
        }
        return lowest;
    }

    /// <summary>One past the highest bin up to length/2 inside <paramref name="support"/> (0 when there is none).</summary>
    private static int HighestLowerBin(int[] support, int length)
    {
        var highest = 0;
        for (var r = 0; r < support.Length; r += 2)
        {
            if (support[r] <= length / 2) highest = Math.Max(highest, Math.Min(support[r + 1], length / 2 + 1));
        }
        return highest;
    }

    private RealFft<T> Real(int length) => _real[BitOperations.Log2((uint)length)];

    /// <summary>Reflection padding (numpy 'reflect': the edge sample is not repeated), in the FFT's precision.</summary>
    private void Pad<TPadded>(ReadOnlySpan<T> signal, Span<TPadded> padded) where TPadded : IFloatingPointIeee754<TPadded>
    {
        var left = _bank.PadLeft;
        var n = signal.Length;
        for (var i = 0; i < n; i++)
        {
            var v = signal[i];
            if (!T.IsFinite(v)) throw new ArgumentException($"signal value at index {i} is {v}; scattering needs finite values.");
            padded[left + i] = TPadded.CreateTruncating(v);
        }
        for (var i = 0; i < left; i++) padded[left - 1 - i] = padded[left + i + 1];
        for (var i = 0; i < _bank.PadRight; i++) padded[left + n + i] = padded[left + n - 2 - i];
    }

    /// <summary>Doubles rounded to floats, a vector at a time.</summary>
    private static void Narrow(ReadOnlySpan<double> source, Span<float> destination)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 2 * Vector256<double>.Count <= source.Length; i += 2 * Vector256<double>.Count)
            {
                Vector256.Narrow(Vector256.Create(source.Slice(i, Vector256<double>.Count)), Vector256.Create(source.Slice(i + Vector256<double>.Count, Vector256<double>.Count)))
                    .CopyTo(destination.Slice(i, Vector256<float>.Count));
            }
        }
        for (; i < source.Length; i++) destination[i] = (float)source[i];
    }

    private static TValue Sum<TValue>(ReadOnlySpan<TValue> values) where TValue : IFloatingPointIeee754<TValue>
    {
        var sum = TValue.Zero;
        for (var i = 0; i < values.Length; i++) sum += values[i];
        return sum;
    }
}
