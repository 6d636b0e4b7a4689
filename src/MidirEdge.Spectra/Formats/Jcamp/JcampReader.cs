using System.Buffers;
using System.Globalization;
using System.Numerics;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>
/// Reads JCAMP-DX 4.24 and 5.x files: ##XYDATA=(X++(Y..Y)) in AFFN, PAC, SQZ, DIF and DUP forms,
/// ##XYPOINTS= and ##PEAK TABLE= tuples, and compound (LINK) files with several blocks.
/// </summary>
/// <remarks>
/// <para>Every block with a data table becomes one spectrum, in file order. NMR and mass-spectrum blocks
/// (##DATA TYPE= naming NMR or MASS) and NTUPLES blocks are skipped; when a file holds nothing else, reading
/// it throws <see cref="UnsupportedSpectrumException"/>. A compound file that mixes them with optical
/// spectra gives the optical spectra only.</para>
/// <para>For ##XYDATA the x axis is FIRSTX + i·(LASTX − FIRSTX)/(NPOINTS − 1): the rule jcampconverter
/// applies. The abscissa check value starting each line and ##DELTAX are not used (some files round them,
/// e.g. a DELTAX of 0.0625 for a true step of 0.06027). jcampconverter adds the step point by point rather
/// than multiplying, which differs from this by less than 1e-12 relatively.</para>
/// <para>Metadata: SampleName from ##TITLE (##NAMES when the title is blank), Block from ##BLOCK_ID (else the
/// block's 1-based position in the file), Resolution from a numeric ##RESOLUTION, AcquiredUtc from ##LONGDATE or
/// ##DATE with ##TIME (taken as UTC when no zone is given), Instrument from ##SPECTROMETER/DATA SYSTEM. Parameters
/// holds every record of the block except ##TITLE, ##END and the data table, as text, keyed by its label in upper
/// case without blanks (e.g. "$NISTSOURCE"); when a label repeats, the first value wins.</para>
/// <para>Bad input ends in one <see cref="SpectrumFormatException"/> naming the line. No buffer is sized from a
/// count in the file before that count is checked: before anything else, a scan of the file's records refuses more
/// blocks than <see cref="SpectrumLimits.MaxSpectra"/>, an ##NPOINTS over <see cref="SpectrumLimits.MaxPoints"/>, and
/// ##NPOINTS adding up to more than <see cref="SpectrumLimits.MaxValues"/>; each table's ##NPOINTS may not exceed
/// 16 points per byte left in the file, and its decoded values must number exactly ##NPOINTS. Lines and record values
/// may not be longer than <see cref="SpectrumLimits.MaxLineBytes"/>.</para>
/// <para>A read allocates what it returns and a few hundred bytes more per spectrum: the file is walked as bytes, tables are decoded
/// into buffers rented from the shared pool and copied once at their exact size, and labels are compared on the stack.</para>
/// </remarks>
public static class JcampReader
{
    private const int LabelChars = 128;

    /// <summary>True when <paramref name="head"/> (the first bytes of a file) looks like JCAMP-DX: its first text is a <c>##LABEL=</c> record.</summary>
    public static bool IsJcamp(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) head = head[3..];
        var i = 0;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        head = head[i..];
        if (!head.StartsWith("##"u8)) return false;
        var end = head.IndexOfAny((byte)'\r', (byte)'\n');
        return (end < 0 ? head : head[..end]).IndexOf((byte)'=') > 2;
    }

    /// <summary>Reads every spectrum in a JCAMP-DX file; <paramref name="file"/> names it in errors and metadata.</summary>
    /// <exception cref="UnsupportedSpectrumException">The file holds only NMR, mass-spectrum or NTUPLES data.</exception>
    /// <exception cref="SpectrumFormatException">The file is not valid JCAMP-DX.</exception>
    public static IReadOnlyList<Spectrum> Read(ReadOnlySpan<byte> data, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        SpectrumLimits.CheckFileSize(data.Length, file);
        CheckDeclaredSizes(data, file);
        var spectra = new List<Spectrum>();
        var values = 0L;
        var lines = new JcampLines(data, file);
        JcampBlock? block = null;
        var blocks = 0;
        var blockLine = 0;
        UnsupportedSpectrumException? unsupported = null;
        // Labels are decoded and compared on the stack: of a label, only its parameter key becomes a string.
        Span<char> labelChars = stackalloc char[LabelChars];
        Span<char> keyChars = stackalloc char[LabelChars];
        Span<char> nameChars = stackalloc char[LabelChars];
        while (lines.MoveNext())
        {
            var line = JcampLines.TrimStart(lines.Current);
            if (!line.StartsWith("##"u8))
            {
                if (blocks == 0 && !JcampLines.WithoutComment(line).Trim((byte)' ').IsEmpty)
                    throw new SpectrumFormatException(file, "text before the first ##TITLE= record", line: lines.Number);
                continue;
            }
            var equals = line.IndexOf((byte)'=');
            if (line[2..].StartsWith("$$"u8)) continue;
            if (equals < 0) throw new SpectrumFormatException(file, "a ## record has no '='", line: lines.Number);
            var labelBytes = line[2..equals];
            var label = JcampText.DecodeTrimmed(labelBytes, labelBytes.Length <= LabelChars ? labelChars : new char[labelBytes.Length]);
            // The canonical label is the key without punctuation, so the label is compacted once for both.
            var key = JcampText.KeyOf(label, label.Length <= LabelChars ? keyChars : new char[label.Length]);
            var name = JcampText.CanonicalOfKey(key, key.Length <= LabelChars ? nameChars : new char[key.Length]);
            var number = lines.Number;
            var rest = line[(equals + 1)..];
            switch (name)
            {
                case "TITLE":
                    block = new JcampBlock(++blocks, ReadValue(ref lines, rest, keep: true, file));
                    blockLine = number;
                    break;
                case "END":
                    block = null;
                    break;
                case "XYDATA" or "XYPOINTS" or "PEAKTABLE":
                    if (block is null) throw Outside(file, label, number);
                    if (block.Unsupported is { } reason)
                    {
                        unsupported ??= new UnsupportedSpectrumException(file, reason, number);
                        SkipContinuation(ref lines);
                        break;
                    }
                    var variables = JcampText.DecodeTrimmed(JcampLines.WithoutComment(rest));
                    if (spectra.Count == SpectrumLimits.MaxSpectra)
                        throw new SpectrumFormatException(file,
                            SpectrumLimits.Exceeded("the number of spectra", nameof(SpectrumLimits.MaxSpectra), SpectrumLimits.MaxSpectra), line: number);
                    var spectrum = ReadTable(ref lines, block, name, variables, file, SpectrumLimits.MaxValues - values);
                    values += spectrum.Length;
                    spectra.Add(spectrum);
                    break;
                default:
                    if (block is null) throw Outside(file, label, number);
                    var wasSupported = block.Unsupported is null;
                    block.Add(key, name, ReadValue(ref lines, rest, keep: wasSupported, file));
                    if (wasSupported && block.Unsupported is { } why) unsupported ??= new UnsupportedSpectrumException(file, why, number);
                    break;
            }
        }
        if (block is not null)
            throw new SpectrumFormatException(file, $"the file ends inside the block begun at line {blockLine} (no ##END=)", line: lines.Number);
        if (spectra.Count > 0) return spectra;
        throw unsupported ?? new SpectrumFormatException(file,
            blocks == 0 ? "no ##TITLE= record: not a JCAMP-DX file" : "no ##XYDATA=, ##XYPOINTS= or ##PEAK TABLE= data", line: lines.Number);
    }

    /// <summary>Reads one data table, of at most <paramref name="valuesLeft"/> points (what <see cref="SpectrumLimits.MaxValues"/> leaves).</summary>
    private static Spectrum ReadTable(ref JcampLines lines, JcampBlock block, scoped ReadOnlySpan<char> name, string variables, string file, long valuesLeft)
    {
        var tableLine = lines.Number;
        var lastLine = tableLine;
        var xFactor = Factor(block, "XFACTOR", file, tableLine);
        var yFactor = Factor(block, "YFACTOR", file, tableLine);
        int? declared = block["NPOINTS"] is null ? null : PointCount(block, file, lines.Remaining, valuesLeft, tableLine);
        double[] x, y;
        string? warning = null;
        if (name is "XYDATA" && variables.Contains("++", StringComparison.Ordinal))
        {
            // Some writers drop the closing parenthesis: "(X++(Y..Y)".
            if (!StartsWithIgnoringBlanks(variables, "(X++(Y..Y)"))
                throw new SpectrumFormatException(file, $"unsupported XYDATA form {OneLine.Quote(variables)}", line: tableLine);
            var count = declared ?? throw new SpectrumFormatException(file, "##XYDATA= needs ##NPOINTS=", line: tableLine);
            var firstX = Required(block, "FIRSTX", file, tableLine);
            var lastX = Required(block, "LASTX", file, tableLine);
            using var decoder = new AsdfDecoder(file, count, (int)Math.Min(count, lines.Remaining / 2L + 16));
            while (!lines.NextStartsRecordOrEnds())
            {
                lines.MoveNext();
                decoder.DecodeLine(lines.Current, lines.Number);
                lastLine = lines.Number;
            }
            y = decoder.Finish(yFactor, lastLine);
            warning = decoder.Warning;
            if (!AllFinite(y)) throw new SpectrumFormatException(file, "a Y value times ##YFACTOR overflows", line: tableLine);
            // jcampconverter's rule: x from FIRSTX, LASTX and NPOINTS, not from the per-line abscissa checks or ##DELTAX.
            x = Axis(count, firstX, count > 1 ? (lastX - firstX) / (count - 1) : 0);
        }
        else
        {
            var arity = XyTupleDecoder.ArityOf(variables);
            if (arity == 0) throw new SpectrumFormatException(file, $"unsupported variable list {OneLine.Quote(variables)}", line: tableLine);
            using var decoder = new XyTupleDecoder(file, arity, (int)Math.Min(SpectrumLimits.MaxPoints, valuesLeft));
            while (!lines.NextStartsRecordOrEnds())
            {
                lines.MoveNext();
                decoder.DecodeLine(lines.Current, lines.Number);
                lastLine = lines.Number;
            }
            (x, y) = decoder.Finish(xFactor, yFactor, lastLine);
            if (x.Length == 0) throw new SpectrumFormatException(file, "the data table is empty", line: tableLine);
            if (declared is { } count && count != x.Length)
                throw new SpectrumFormatException(file, $"the table holds {x.Length} points but ##NPOINTS is {count}", line: lastLine);
        }
        return block.ToSpectrum(x, y, file, warning);
    }

    /// <summary>True when no value is infinite or NaN.</summary>
    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var max = new Vector<double>(double.MaxValue);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
                if (!Vector.LessThanOrEqualAll(Vector.Abs(new Vector<double>(values[i..])), max)) return false;
        }
        for (; i < values.Length; i++)
            if (!double.IsFinite(values[i])) return false;
        return true;
    }

    /// <summary>
    /// A new array of <paramref name="count"/> evenly spaced values, <paramref name="first"/> + i·<paramref name="step"/>
    /// (the product rounded, then the sum, for each i).
    /// </summary>
    private static double[] Axis(int count, double first, double step)
    {
        var axis = GC.AllocateUninitializedArray<double>(count);
        var i = 0;
        if (Vector.IsHardwareAccelerated && count >= Vector<double>.Count)
        {
            Span<double> start = stackalloc double[Vector<double>.Count];
            for (var k = 0; k < start.Length; k++) start[k] = k;
            var index = new Vector<double>(start);
            var stride = new Vector<double>(Vector<double>.Count);
            var origin = new Vector<double>(first);
            var steps = new Vector<double>(step);
            for (; i <= count - Vector<double>.Count; i += Vector<double>.Count)
            {
                (origin + index * steps).CopyTo(axis.AsSpan(i));
                index += stride;
            }
        }
        for (; i < count; i++) axis[i] = first + i * step;
        return axis;
    }

    /// <summary>##NPOINTS=, checked against the limits and the bytes left before any buffer is sized from it.</summary>
    private static int PointCount(JcampBlock block, string file, int remaining, long valuesLeft, int line)
    {
        var value = block.Number("NPOINTS");
        if (value is not { } n || n != Math.Floor(n) || n < 1)
            throw new SpectrumFormatException(file, $"##NPOINTS={OneLine.Quote(block["NPOINTS"])} is not a positive whole number", line: line);
        if (n > SpectrumLimits.MaxPoints)
            throw new SpectrumFormatException(file, SpectrumLimits.Exceeded(Invariant($"##NPOINTS={n:0}"), nameof(SpectrumLimits.MaxPoints), SpectrumLimits.MaxPoints), line: line);
        if (n > valuesLeft)
            throw new SpectrumFormatException(file, SpectrumLimits.Exceeded("the number of points in the file", nameof(SpectrumLimits.MaxValues), SpectrumLimits.MaxValues), line: line);
        if (n > 16.0 * remaining + 16)
            throw new SpectrumFormatException(file, Invariant($"##NPOINTS={n:0} is more than the data left in the file can hold"), line: line);
        return (int)n;
    }

    /// <summary>
    /// Refuses, before any block is read, a file whose ##TITLE records number more than <see cref="SpectrumLimits.MaxSpectra"/>
    /// or whose ##NPOINTS records exceed <see cref="SpectrumLimits.MaxPoints"/> or add up to more than <see cref="SpectrumLimits.MaxValues"/>.
    /// </summary>
    /// <remarks>Labels are matched as ASCII here; the reading pass checks the same limits again on whatever it reads.</remarks>
    private static void CheckDeclaredSizes(ReadOnlySpan<byte> data, string file)
    {
        var blocks = 0;
        var points = 0L;
        if (data.Length > SpectrumLimits.MaxLineBytes)
        {
            // Only a file this large can hold a line too long, which is then refused where it comes, as by the reading pass.
            var lines = new JcampLines(data, file);
            while (lines.MoveNext())
            {
                var line = JcampLines.TrimStart(lines.Current);
                if (line.StartsWith("##"u8) && Exceeded(line, ref blocks, ref points) is { } reason)
                    throw new SpectrumFormatException(file, reason, line: lines.Number);
            }
            return;
        }
        // Otherwise only the record lines are looked at, found by a vectorised search for "##" with nothing but blanks
        // before it on its line; data lines are not walked one by one. A line number is counted only for an error.
        var start = data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        for (var from = start; ;)
        {
            var at = data[from..].IndexOf("##"u8);
            if (at < 0) return;
            at += from;
            from = at + 2;
            var k = at;
            while (k > start && data[k - 1] is (byte)' ' or (byte)'\t') k--;
            if (k > start && data[k - 1] is not ((byte)'\n' or (byte)'\r')) continue;
            var end = data[at..].IndexOfAny((byte)'\r', (byte)'\n');
            if (Exceeded(end < 0 ? data[at..] : data.Slice(at, end), ref blocks, ref points) is { } reason)
            {
                var before = data[start..at];
                var number = 1 + before.Count((byte)'\n') + before.Count((byte)'\r') - before.Count("\r\n"u8);
                throw new SpectrumFormatException(file, reason, line: number);
            }
        }
    }

    /// <summary>Counts a record line (starting with ##) towards the blocks and points declared so far; why they exceed the limits, or null.</summary>
    private static string? Exceeded(ReadOnlySpan<byte> line, ref int blocks, ref long points)
    {
        var equals = line.IndexOf((byte)'=');
        if (equals < 0) return null;
        var label = line[2..equals];
        if (IsLabel(label, "TITLE"u8) && ++blocks > SpectrumLimits.MaxSpectra)
            return SpectrumLimits.Exceeded("the number of blocks", nameof(SpectrumLimits.MaxSpectra), SpectrumLimits.MaxSpectra);
        if (!IsLabel(label, "NPOINTS"u8)
            || !JcampNumbers.TryParse(JcampLines.WithoutComment(line[(equals + 1)..]).Trim((byte)' '), out var n)
            || !(n >= 1))
            return null;
        if (n > SpectrumLimits.MaxPoints)
            return SpectrumLimits.Exceeded(Invariant($"##NPOINTS={n:0}"), nameof(SpectrumLimits.MaxPoints), SpectrumLimits.MaxPoints);
        points += (long)n;
        return points > SpectrumLimits.MaxValues
            ? SpectrumLimits.Exceeded("the sum of the file's ##NPOINTS", nameof(SpectrumLimits.MaxValues), SpectrumLimits.MaxValues)
            : null;
    }

    /// <summary>True when <paramref name="label"/> is <paramref name="canonical"/> written in any case, with blanks, '-', '_' or '/' anywhere.</summary>
    private static bool IsLabel(ReadOnlySpan<byte> label, ReadOnlySpan<byte> canonical)
    {
        var k = 0;
        foreach (var b in label)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'-' or (byte)'_' or (byte)'/') continue;
            if (k == canonical.Length || (b & ~0x20) != canonical[k]) return false;
            k++;
        }
        return k == canonical.Length;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static double Required(JcampBlock block, string name, string file, int line) =>
        block.Number(name) ?? throw new SpectrumFormatException(file, $"##XYDATA= needs a numeric ##{name}=", line: line);

    private static double Factor(JcampBlock block, string name, string file, int line) =>
        block[name] is null ? 1
        : block.Number(name) is { } factor && factor != 0 ? factor
        : throw new SpectrumFormatException(file, $"##{name}={OneLine.Quote(block[name])} is not a non-zero number", line: line);

    /// <summary>
    /// The value of a record: the rest of its line and the lines up to the next record, without $$ comments;
    /// refused when its lines hold more than <see cref="SpectrumLimits.MaxLineBytes"/> together.
    /// </summary>
    private static string ReadValue(ref JcampLines lines, ReadOnlySpan<byte> first, bool keep, string file)
    {
        if (!keep)
        {
            SkipContinuation(ref lines);
            return "";
        }
        if (lines.NextStartsRecordOrEnds()) return JcampText.DecodeTrimmed(JcampLines.WithoutComment(first));
        long bytes = first.Length;
        for (var probe = lines; !probe.NextStartsRecordOrEnds();)
        {
            probe.MoveNext();
            bytes += probe.Current.Length + 1;
            if (bytes > SpectrumLimits.MaxLineBytes)
                throw new SpectrumFormatException(file,
                    SpectrumLimits.Exceeded("the record's length in bytes", nameof(SpectrumLimits.MaxLineBytes), SpectrumLimits.MaxLineBytes), line: lines.Number);
        }
        // The lines are decoded into one pooled buffer (a line has no more chars than bytes), so that only the value is allocated.
        var buffer = ArrayPool<char>.Shared.Rent((int)bytes);
        try
        {
            var length = AppendTrimmed(JcampLines.WithoutComment(first), buffer, 0);
            while (!lines.NextStartsRecordOrEnds())
            {
                lines.MoveNext();
                length = AppendTrimmed(JcampLines.WithoutComment(lines.Current), buffer, length);
            }
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decodes one line of a record value after the <paramref name="length"/> chars in <paramref name="buffer"/>, without
    /// white space around it and after a line break unless it is the first text; empty lines add nothing. The new length.
    /// </summary>
    private static int AppendTrimmed(ReadOnlySpan<byte> line, char[] buffer, int length)
    {
        var text = JcampText.DecodeTrimmed(line, buffer.AsSpan(length + 1));
        if (text.IsEmpty) return length;
        if (length > 0) buffer[length++] = '\n';
        text.CopyTo(buffer.AsSpan(length));
        return length + text.Length;
    }

    /// <summary>True when <paramref name="text"/> without its blanks starts with <paramref name="prefix"/>, ignoring case.</summary>
    private static bool StartsWithIgnoringBlanks(ReadOnlySpan<char> text, ReadOnlySpan<char> prefix)
    {
        var k = 0;
        foreach (var c in text)
        {
            if (k == prefix.Length) break;
            if (c == ' ') continue;
            if (char.ToUpperInvariant(c) != char.ToUpperInvariant(prefix[k])) return false;
            k++;
        }
        return k == prefix.Length;
    }

    private static void SkipContinuation(ref JcampLines lines)
    {
        while (!lines.NextStartsRecordOrEnds()) lines.MoveNext();
    }

    private static SpectrumFormatException Outside(string file, ReadOnlySpan<char> label, int line) =>
        new(file, $"##{OneLine.Quote(label.ToString())}= appears outside a block (before ##TITLE=)", line: line);
}
