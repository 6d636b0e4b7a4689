using System.Text.Json.Serialization;

namespace MidirEdge.Spectra.Preprocessing;

/// <summary>How the Savitzky–Golay filter treats the ends of the signal (SciPy's <c>mode</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SavitzkyGolayMode>))]
public enum SavitzkyGolayMode
{
    /// <summary>Fit a polynomial to the first and last window and evaluate it at the end points (no padding).</summary>
    [JsonStringEnumMemberName("interp")]
    Interp,
    /// <summary>Reflect about the end point, not repeating it: d c b | a b c d | c b a.</summary>
    [JsonStringEnumMemberName("mirror")]
    Mirror,
    /// <summary>Repeat the end value: a a a | a b c d | d d d.</summary>
    [JsonStringEnumMemberName("nearest")]
    Nearest,
    /// <summary>Pad with a constant value (<see cref="SavitzkyGolay.ConstantValue"/>).</summary>
    [JsonStringEnumMemberName("constant")]
    Constant,
    /// <summary>Wrap around periodically: a b c d | a b c d | a b c d.</summary>
    [JsonStringEnumMemberName("wrap")]
    Wrap,
}
