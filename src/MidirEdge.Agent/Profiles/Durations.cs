using System.Globalization;

namespace MidirEdge.Agent.Profiles;

/// <summary>Durations written as <c>250ms</c>, <c>2s</c>, <c>5m</c>, <c>1h</c> or a .NET time span (<c>00:00:02</c>).</summary>
public static class Durations
{
    /// <summary>Parses <paramref name="text"/>; false when it is none of the accepted forms or negative.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        (string suffix, double unitMs)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, unitMs) in units)
        {
            if (!s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            var number = s[..^suffix.Length];
            // "5ms" also ends with "s": only accept when what precedes the suffix is a number.
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) continue;
            if (n < 0 || !double.IsFinite(n)) return false;
            value = TimeSpan.FromMilliseconds(n * unitMs);
            return true;
        }
        return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}
