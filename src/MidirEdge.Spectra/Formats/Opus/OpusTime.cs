using System.Globalization;

namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>Parses OPUS time stamps: DAT/TIM parameters and the save times in the history block.</summary>
internal static class OpusTime
{
    /// <summary>
    /// Combines DAT ("dd/mm/yyyy") and TIM ("hh:mm:ss.fff (GMT+1)") into a UTC time;
    /// null when TIM names no GMT offset, false when either is malformed.
    /// </summary>
    public static bool TryParseDateAndTime(string date, string time, out DateTimeOffset? utc)
    {
        utc = null;
        var space = time.IndexOf(' ');
        var clock = space < 0 ? time.AsSpan() : time.AsSpan(0, space);
        if (!TryParseDay(date, out var day) &&
            !DateTime.TryParseExact(date, "dd/MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)) return false;
        if (!TryParseClock(clock, out var timeOfDay) &&
            !TimeSpan.TryParseExact(clock, [@"hh\:mm\:ss\.FFFFFFF", @"hh\:mm\:ss"], CultureInfo.InvariantCulture, out timeOfDay)) return false;
        if (space < 0) return true;
        var zone = time.AsSpan(space + 1).Trim();
        if (zone.Length < 2 || zone[0] != '(' || zone[^1] != ')' || !TryParseGmtOffset(zone[1..^1], out var offset)) return false;
        utc = ToUtc(day + timeOfDay, offset);
        return utc is not null;
    }

    /// <summary>
    /// "dd/mm/yyyy" of a valid day, read directly; false for anything else, which the exact parser then decides on
    /// (this accepts only what it accepts, with the same result, and spares its cost for the usual form).
    /// </summary>
    private static bool TryParseDay(ReadOnlySpan<char> date, out DateTime day)
    {
        day = default;
        return date.Length == 10 && date[2] == '/' && date[5] == '/' && TryDay(date[6..], date[3..5], date[..2], out day);
    }

    /// <summary>"yyyy/mm/dd" of a valid day, read directly; false for anything else (as <see cref="TryParseDay"/>).</summary>
    private static bool TryParseIsoDay(ReadOnlySpan<char> date, out DateTime day)
    {
        day = default;
        return date.Length == 10 && date[4] == '/' && date[7] == '/' && TryDay(date[..4], date[5..7], date[8..], out day);
    }

    /// <summary>The day of the given year, month and day digits; false unless all are digits and the day exists.</summary>
    private static bool TryDay(ReadOnlySpan<char> year, ReadOnlySpan<char> month, ReadOnlySpan<char> dayOfMonth, out DateTime day)
    {
        day = default;
        if (!TryDigits(dayOfMonth, out var d) || !TryDigits(month, out var m) || !TryDigits(year, out var y) ||
            y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
            return false;
        day = new DateTime(y, m, d);
        return true;
    }

    /// <summary>"hh:mm:ss" or "hh:mm:ss.f" with one to seven fraction digits, read directly; false for anything else (as <see cref="TryParseDay"/>).</summary>
    private static bool TryParseClock(ReadOnlySpan<char> clock, out TimeSpan timeOfDay)
    {
        timeOfDay = default;
        if (clock.Length < 8 || clock[2] != ':' || clock[5] != ':' ||
            !TryDigits(clock[..2], out var h) || !TryDigits(clock[3..5], out var m) || !TryDigits(clock[6..8], out var s) ||
            h > 23 || m > 59 || s > 59)
            return false;
        var ticks = new TimeSpan(h, m, s).Ticks;
        if (clock.Length > 8)
        {
            var fraction = clock[9..];
            if (clock[8] != '.' || fraction.Length is < 1 or > 7 || !TryDigits(fraction, out var f)) return false;
            for (var i = fraction.Length; i < 7; i++) f *= 10;
            ticks += f;
        }
        timeOfDay = new TimeSpan(ticks);
        return true;
    }

    /// <summary>The value of one to seven ASCII digits.</summary>
    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    /// <summary>
    /// The time of the last "Save" in a history block, as opusreader2 takes it for basic_metadata:
    /// the last "\t\t&lt;digit&gt;" that is followed somewhere by "\t\t\t", read as "yyyy/mm/dd hh:mm:ss (GMT±h)".
    /// NULs are dropped first, as opusreader2 pastes the block's strings together. Null when absent or malformed.
    /// </summary>
    public static DateTimeOffset? LastSaveTime(ReadOnlySpan<byte> history)
    {
        var end = history.LastIndexOf("\t\t\t"u8);
        if (end < 0) return null;
        // Walk back over the text before the final "\t\t\t", ignoring NULs, to the last "\t\t<digit>".
        Span<byte> window = stackalloc byte[3];
        var filled = 0;
        var captureStart = -1;
        for (var i = end - 1; i >= 0; i--)
        {
            if (history[i] == 0) continue;
            window[2] = window[1];
            window[1] = window[0];
            window[0] = history[i];
            if (++filled >= 3 && window[0] == '\t' && window[1] == '\t' && char.IsAsciiDigit((char)window[2]))
            {
                captureStart = i;
                break;
            }
        }
        if (captureStart < 0) return null;
        // capture = everything from the digit up to the final "\t\t\t", without NULs; only its first three words matter.
        Span<char> capture = stackalloc char[64];
        var length = 0;
        var seenTabs = 0;
        for (var i = captureStart; i < end && length < capture.Length; i++)
        {
            var b = history[i];
            if (b == 0) continue;
            if (b == '\t' && seenTabs < 2) { seenTabs++; continue; }
            capture[length++] = (char)b;
        }
        return ParseSaveStamp(capture[..length]);
    }

    private static DateTimeOffset? ParseSaveStamp(ReadOnlySpan<char> stamp)
    {
        Span<Range> words = stackalloc Range[4];
        if (stamp.Split(words, ' ') < 3) return null;
        var zone = stamp[words[2]];
        if (zone.Length < 2 || zone[0] != '(') return null;
        var close = zone.IndexOf(')');
        if (close < 0 || !TryParseGmtOffset(zone[1..close], out var offset)) return null;
        var date = stamp[words[0]];
        if (!TryParseIsoDay(date, out var day) &&
            !DateTime.TryParseExact(date, "yyyy/MM/dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)) return null;
        // The direct reader takes fractions, which this format does not: only the eight-character form goes to it.
        var clock = stamp[words[1]];
        if (!(clock.Length == 8 && TryParseClock(clock, out var timeOfDay)) &&
            !TimeSpan.TryParseExact(clock, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out timeOfDay)) return null;
        return ToUtc(day + timeOfDay, offset);
    }

    /// <summary>Local time and its offset as UTC; null when the result would fall outside the representable range.</summary>
    private static DateTimeOffset? ToUtc(DateTime local, TimeSpan offset)
    {
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks) return null;
        return new DateTimeOffset(utcTicks, TimeSpan.Zero);
    }

    /// <summary>Reads "GMT+1", "GMT-5" or "GMT+5:30".</summary>
    private static bool TryParseGmtOffset(ReadOnlySpan<char> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (!zone.StartsWith("GMT", StringComparison.Ordinal)) return false;
        zone = zone[3..];
        if (zone.IsEmpty) return true;
        var sign = zone[0] switch { '+' => 1, '-' => -1, _ => 0 };
        if (sign == 0) return false;
        zone = zone[1..];
        var colon = zone.IndexOf(':');
        var minutes = 0;
        if (!int.TryParse(colon < 0 ? zone : zone[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) ||
            (colon >= 0 && !int.TryParse(zone[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out minutes)) ||
            minutes > 59 || hours * 60 + minutes > 14 * 60)
            return false;
        offset = sign * new TimeSpan(hours, minutes, 0);
        return true;
    }
}
