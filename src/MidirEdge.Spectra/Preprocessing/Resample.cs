using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Interpolates a spectrum onto a fixed x grid, given as start/stop/spacing or as explicit points.</summary>
public sealed record Resample : PreprocessingStep
{
    private const int MaxGridPoints = 10_000_000;

    /// <summary>Grid start, start + spacing, … up to and including <paramref name="stop"/> (within 1e-9 of a spacing).</summary>
    public Resample(double start, double stop, double spacing, InterpolationMethod method = InterpolationMethod.Linear)
        : this(start, stop, spacing, null, method)
    {
    }

    /// <summary>Grid of explicit points.</summary>
    public Resample(ImmutableArray<double> points, InterpolationMethod method = InterpolationMethod.Linear)
        : this(null, null, null, points, method)
    {
    }

    // Internal, not private, so the source-generated reader (PreprocessingJsonContext) can call it.
    [JsonConstructor]
    internal Resample(double? start = null, double? stop = null, double? spacing = null, ImmutableArray<double>? points = null,
        InterpolationMethod method = InterpolationMethod.Linear)
    {
        if (!Enum.IsDefined(method)) throw new ArgumentException($"unknown interpolation method {method}.", nameof(method));
        Method = method;
        if (points is { } explicitPoints)
        {
            if (start is not null || stop is not null || spacing is not null)
                throw new ArgumentException("give the grid either as start/stop/spacing or as points, not both.", nameof(points));
            if (explicitPoints.IsDefaultOrEmpty) throw new ArgumentException("the grid needs at least one point.", nameof(points));
            foreach (var p in explicitPoints)
                if (!double.IsFinite(p)) throw new ArgumentException($"grid point {p} is not finite.", nameof(points));
            Points = explicitPoints;
            Grid = explicitPoints;
            return;
        }
        if (start is not { } a || stop is not { } b || spacing is not { } h)
            throw new ArgumentException("the grid needs start, stop and spacing (or explicit points).", nameof(spacing));
        if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(h) || h <= 0)
            throw new ArgumentException($"grid start {a}, stop {b} need to be finite and spacing {h} positive.", nameof(spacing));
        if (b < a) throw new ArgumentException($"grid is inverted: stop {b} is below start {a}.", nameof(stop));
        var count = Math.Floor((b - a) / h + 1e-9) + 1;
        if (count > MaxGridPoints) throw new ArgumentException($"grid would have {count} points (limit {MaxGridPoints}).", nameof(spacing));
        var grid = new double[(int)count];
        for (var i = 0; i < grid.Length; i++) grid[i] = a + i * h;
        (Start, Stop, Spacing) = (a, b, h);
        Grid = ImmutableArray.Create(grid);
    }

    /// <summary>First grid point, when the grid is regular.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Start { get; }

    /// <summary>Last grid point (inclusive), when the grid is regular.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Stop { get; }

    /// <summary>Grid spacing, when the grid is regular.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Spacing { get; }

    /// <summary>Explicit grid points, when the grid is not given as start/stop/spacing.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImmutableArray<double>? Points { get; }

    /// <summary>How values between samples are found.</summary>
    public InterpolationMethod Method { get; }

    /// <summary>The x values of the result.</summary>
    [JsonIgnore]
    public ImmutableArray<double> Grid { get; }

    /// <inheritdoc />
    public override Spectrum Apply(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        var x = spectrum.X.AsSpan();
        var y = spectrum.Y.AsSpan();
        if (x.Length > 1 && x[0] > x[^1])
        {
            // Decreasing x (the usual wavenumber order): interpolate on the reversed data.
            var reversedX = x.ToArray();
            var reversedY = y.ToArray();
            Array.Reverse(reversedX);
            Array.Reverse(reversedY);
            x = reversedX;
            y = reversedY;
        }
        var result = new double[Grid.Length];
        if (Method == InterpolationMethod.Linear) Interpolation.Linear(x, y, Grid.AsSpan(), result);
        else Interpolation.CubicNotAKnot(x, y, Grid.AsSpan(), result);
        return new Spectrum(Grid, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(result),
            spectrum.XUnit, spectrum.YKind, spectrum.Metadata);
    }
}
