namespace MidirEdge.Spectra.Preprocessing;

/// <summary>A precomputed Savitzky–Golay filter: coefficients for the window centre and, in interp mode, for the end points. Immutable, so one kernel may serve many threads.</summary>
public sealed class SavitzkyGolayKernel
{
    private readonly double[] _centre;
    private readonly double[][] _leftEdge;
    private readonly double[][] _rightEdge;

    /// <summary>Computes the coefficients; throws <see cref="ArgumentException"/> for an even or too short window, polyOrder ≥ window, or derivative &gt; polyOrder.</summary>
    public SavitzkyGolayKernel(int windowLength, int polyOrder, int derivative = 0, double delta = 1.0,
        SavitzkyGolayMode mode = SavitzkyGolayMode.Interp, double constantValue = 0.0)
    {
        if (!Enum.IsDefined(mode)) throw new ArgumentException($"unknown mode {mode}.", nameof(mode));
        _centre = SavitzkyGolay.Coefficients(windowLength, polyOrder, derivative, delta);
        WindowLength = windowLength;
        Mode = mode;
        ConstantValue = constantValue;
        var half = windowLength / 2;
        _leftEdge = new double[mode == SavitzkyGolayMode.Interp ? half : 0][];
        _rightEdge = new double[_leftEdge.Length][];
        for (var i = 0; i < _leftEdge.Length; i++)
        {
            _leftEdge[i] = SavitzkyGolay.Coefficients(windowLength, polyOrder, derivative, delta, position: i);
            _rightEdge[i] = SavitzkyGolay.Coefficients(windowLength, polyOrder, derivative, delta, position: windowLength - half + i);
        }
    }

    /// <summary>Number of points in each fit.</summary>
    public int WindowLength { get; }

    /// <summary>Treatment of the ends.</summary>
    public SavitzkyGolayMode Mode { get; }

    /// <summary>Padding value in constant mode.</summary>
    public double ConstantValue { get; }

    /// <summary>The centre coefficients in correlation order.</summary>
    public ReadOnlySpan<double> Coefficients => _centre;

    /// <summary>Filters <paramref name="input"/> into <paramref name="result"/> (same length, must not overlap).</summary>
    public void Filter(ReadOnlySpan<double> input, Span<double> result)
    {
        Spans.RequireSameLength(input, result);
        if (input.Overlaps(result)) throw new ArgumentException("input and result must not overlap.", nameof(result));
        var n = input.Length;
        var half = WindowLength / 2;
        if (Mode == SavitzkyGolayMode.Interp && n < WindowLength)
            throw new ArgumentException($"interp mode needs at least the window length ({WindowLength}) of points, got {n}.", nameof(input));

        var coefficients = _centre.AsSpan();
        for (var i = half; i < n - half; i++)
        {
            var window = input.Slice(i - half, WindowLength);
            var sum = 0.0;
            for (var j = 0; j < coefficients.Length; j++) sum += coefficients[j] * window[j];
            result[i] = sum;
        }

        if (Mode == SavitzkyGolayMode.Interp)
        {
            var first = input[..WindowLength];
            var last = input[(n - WindowLength)..];
            for (var i = 0; i < half; i++)
            {
                result[i] = Dot(_leftEdge[i], first);
                result[n - half + i] = Dot(_rightEdge[i], last);
            }
            return;
        }
        for (var i = 0; i < Math.Min(half, n); i++) result[i] = Padded(input, i, half);
        for (var i = Math.Max(n - half, half); i < n; i++) result[i] = Padded(input, i, half);
    }

    private static double Dot(double[] coefficients, ReadOnlySpan<double> window)
    {
        var sum = 0.0;
        for (var j = 0; j < coefficients.Length; j++) sum += coefficients[j] * window[j];
        return sum;
    }

    /// <summary>The filter at point i with out-of-range samples supplied by the mode, as SciPy's ndimage does.</summary>
    private double Padded(ReadOnlySpan<double> input, int i, int half)
    {
        var sum = 0.0;
        for (var j = 0; j < _centre.Length; j++) sum += _centre[j] * Sample(input, i - half + j);
        return sum;
    }

    private double Sample(ReadOnlySpan<double> input, int index)
    {
        var n = input.Length;
        if ((uint)index < (uint)n) return input[index];
        switch (Mode)
        {
            case SavitzkyGolayMode.Constant:
                return ConstantValue;
            case SavitzkyGolayMode.Nearest:
                return input[index < 0 ? 0 : n - 1];
            case SavitzkyGolayMode.Wrap:
                return input[((index % n) + n) % n];
            default:
                if (n == 1) return input[0];
                var period = 2 * n - 2;
                var k = ((index % period) + period) % period;
                return input[k < n ? k : period - k];
        }
    }
}
