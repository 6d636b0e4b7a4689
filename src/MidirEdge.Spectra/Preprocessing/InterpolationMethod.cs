using System.Text.Json.Serialization;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>How <see cref="Resample"/> interpolates.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InterpolationMethod>))]
public enum InterpolationMethod
{
    /// <summary>Piecewise linear; end values held outside the data (NumPy <c>interp</c>).</summary>
    [JsonStringEnumMemberName("linear")]
    Linear,
    /// <summary>Cubic spline with not-a-knot ends; end cubics extended outside the data (SciPy <c>CubicSpline</c>).</summary>
    [JsonStringEnumMemberName("cubic")]
    Cubic,
}
