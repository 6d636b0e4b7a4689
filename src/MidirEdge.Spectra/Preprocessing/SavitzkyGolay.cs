using MathNet.Numerics.LinearAlgebra;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Savitzky–Golay smoothing or differentiation, numerically as SciPy's <c>savgol_filter</c>.</summary>
public sealed record SavitzkyGolay : PreprocessingStep
{
    private SavitzkyGolayKernel? _kernel;

    /// <summary>Creates the step; see <see cref="SavitzkyGolayKernel"/> for the parameter rules.</summary>
    /// <param name="windowLength">Odd number of points in each fit.</param>
    /// <param name="polyOrder">Order of the fitted polynomial, below <paramref name="windowLength"/>.</param>
    /// <param name="derivative">Order of the derivative (0 smooths), at most <paramref name="polyOrder"/>.</param>
    /// <param name="delta">Spacing of the samples, scaling derivatives (SciPy's <c>delta</c>).</param>
    /// <param name="mode">Treatment of the ends.</param>
    /// <param name="constantValue">Padding value for <see cref="SavitzkyGolayMode.Constant"/>.</param>
    public SavitzkyGolay(int windowLength, int polyOrder, int derivative = 0, double delta = 1.0,
        SavitzkyGolayMode mode = SavitzkyGolayMode.Interp, double constantValue = 0.0)
    {
        Validate(windowLength, polyOrder, derivative, delta);
        if (!Enum.IsDefined(mode)) throw new ArgumentException($"unknown mode {mode}.", nameof(mode));
        if (!double.IsFinite(constantValue)) throw new ArgumentException("constant value must be finite.", nameof(constantValue));
        (WindowLength, PolyOrder, Derivative, Delta, Mode, ConstantValue) = (windowLength, polyOrder, derivative, delta, mode, constantValue);
    }

    /// <summary>Odd number of points in each fit.</summary>
    public int WindowLength { get; }

    /// <summary>Order of the fitted polynomial.</summary>
    public int PolyOrder { get; }

    /// <summary>Order of the derivative (0 smooths).</summary>
    public int Derivative { get; }

    /// <summary>Sample spacing that scales derivatives.</summary>
    public double Delta { get; }

    /// <summary>Treatment of the ends.</summary>
    public SavitzkyGolayMode Mode { get; }

    /// <summary>Padding value for <see cref="SavitzkyGolayMode.Constant"/>.</summary>
    public double ConstantValue { get; }

    /// <summary>The precomputed filter (made on first use, then kept), to run on many spectra without further allocation.</summary>
    public SavitzkyGolayKernel GetKernel() =>
        _kernel ??= new SavitzkyGolayKernel(WindowLength, PolyOrder, Derivative, Delta, Mode, ConstantValue);

    /// <summary>Equal when every parameter is equal (the cached kernel does not count).</summary>
    public bool Equals(SavitzkyGolay? other) =>
        other is not null &&
        (WindowLength, PolyOrder, Derivative, Delta, Mode, ConstantValue) ==
        (other.WindowLength, other.PolyOrder, other.Derivative, other.Delta, other.Mode, other.ConstantValue);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(WindowLength, PolyOrder, Derivative, Delta, Mode, ConstantValue);

    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var result = new double[spectrum.Length];
        GetKernel().Filter(spectrum.Y.AsSpan(), result);
        return spectrum.WithY(result, Derivative == 0 ? spectrum.YKind : YKind.Arbitrary);
    }

    /// <summary>
    /// Least-squares filter coefficients in correlation ("dot") order, as SciPy's <c>savgol_coeffs(..., use="dot")</c>:
    /// the fitted polynomial's <paramref name="derivative"/>-th derivative at <paramref name="position"/> is
    /// Σ coefficients[j] · y[window start + j].
    /// </summary>
    /// <param name="windowLength">Odd number of points in the window.</param>
    /// <param name="polyOrder">Order of the fitted polynomial.</param>
    /// <param name="derivative">Order of the derivative.</param>
    /// <param name="delta">Sample spacing.</param>
    /// <param name="position">Point in the window to evaluate at; the centre when null.</param>
    public static double[] Coefficients(int windowLength, int polyOrder, int derivative = 0, double delta = 1.0, int? position = null)
    {
        Validate(windowLength, polyOrder, derivative, delta);
        var pos = position ?? windowLength / 2;
        if (pos < 0 || pos >= windowLength)
            throw new ArgumentOutOfRangeException(nameof(position), $"position {pos} must lie in the window 0..{windowLength - 1}.");

        // Minimum-norm solution of A c = e_deriv · deriv! / delta^deriv, where A[k, j] = (j − pos)^k:
        // with Aᵀ = QR, c = Q R⁻ᵀ e.
        var order = polyOrder + 1;
        var transposed = Matrix<double>.Build.Dense(windowLength, order, (j, k) => Math.Pow(j - pos, k));
        var qr = transposed.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var rhs = new double[order];
        rhs[derivative] = Factorial(derivative) / Math.Pow(delta, derivative);
        var z = new double[order];
        for (var i = 0; i < order; i++)
        {
            var sum = rhs[i];
            for (var k = 0; k < i; k++) sum -= qr.R[k, i] * z[k];
            z[i] = sum / qr.R[i, i];
        }
        var coefficients = new double[windowLength];
        for (var j = 0; j < windowLength; j++)
        {
            var sum = 0.0;
            for (var k = 0; k < order; k++) sum += qr.Q[j, k] * z[k];
            coefficients[j] = sum;
        }
        return coefficients;
    }

    internal static void Validate(int windowLength, int polyOrder, int derivative, double delta)
    {
        if (windowLength < 1 || windowLength % 2 == 0)
            throw new ArgumentException($"window length must be a positive odd number, got {windowLength}.", nameof(windowLength));
        if (polyOrder < 0)
            throw new ArgumentException($"polynomial order must not be negative, got {polyOrder}.", nameof(polyOrder));
        if (polyOrder >= windowLength)
            throw new ArgumentException($"polynomial order {polyOrder} must be less than the window length {windowLength}.", nameof(polyOrder));
        if (derivative < 0 || derivative > polyOrder)
            throw new ArgumentException($"derivative {derivative} must be between 0 and the polynomial order {polyOrder}.", nameof(derivative));
        if (!double.IsFinite(delta) || delta <= 0)
            throw new ArgumentException($"delta must be a positive number, got {delta}.", nameof(delta));
    }

    private static double Factorial(int n)
    {
        var result = 1.0;
        for (var i = 2; i <= n; i++) result *= i;
        return result;
    }
}
