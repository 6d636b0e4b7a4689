using System.Text;

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
/// count in the file before that count is checked: ##NPOINTS may not exceed <see cref="MaxPoints"/> nor
/// 16 points per byte left in the file, and the decoded values must number exactly ##NPOINTS.</para>
/// </remarks>
public static class JcampReader
{
    /// <summary>The largest ##NPOINTS accepted (2^24).</summary>
    public const int MaxPoints = 1 << 24;

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
        var spectra = new List<Spectrum>();
        var lines = new JcampLines(data);
        JcampBlock? block = null;
        var blocks = 0;
        var blockLine = 0;
        UnsupportedSpectrumException? unsupported = null;
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
            var label = JcampText.Decode(line[2..equals]).Trim();
            var name = JcampText.Canonical(label);
            var number = lines.Number;
            var rest = line[(equals + 1)..];
            switch (name)
            {
                case "TITLE":
                    block = new JcampBlock(++blocks, ReadValue(ref lines, rest, keep: true));
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
                    var variables = JcampText.Decode(JcampLines.WithoutComment(rest)).Trim();
                    spectra.Add(ReadTable(ref lines, block, name, variables, file));
                    break;
                default:
                    if (block is null) throw Outside(file, label, number);
                    var wasSupported = block.Unsupported is null;
                    block.Add(label, name, ReadValue(ref lines, rest, keep: wasSupported));
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

    private static Spectrum ReadTable(ref JcampLines lines, JcampBlock block, string name, string variables, string file)
    {
        var tableLine = lines.Number;
        var lastLine = tableLine;
        var xFactor = Factor(block, "XFACTOR", file, tableLine);
        var yFactor = Factor(block, "YFACTOR", file, tableLine);
        int? declared = block["NPOINTS"] is null ? null : PointCount(block, file, lines.Remaining, tableLine);
        double[] x, y;
        if (name == "XYDATA" && variables.Contains("++", StringComparison.Ordinal))
        {
            // Some writers drop the closing parenthesis: "(X++(Y..Y)".
            if (!variables.Replace(" ", "", StringComparison.Ordinal).StartsWith("(X++(Y..Y)", StringComparison.OrdinalIgnoreCase))
                throw new SpectrumFormatException(file, $"unsupported XYDATA form {MessageText.Quote(variables)}", line: tableLine);
            var count = declared ?? throw new SpectrumFormatException(file, "##XYDATA= needs ##NPOINTS=", line: tableLine);
            var firstX = Required(block, "FIRSTX", file, tableLine);
            var lastX = Required(block, "LASTX", file, tableLine);
            var decoder = new AsdfDecoder(file, count, (int)Math.Min(count, lines.Remaining / 2L + 16));
            while (!lines.NextStartsRecordOrEnds())
            {
                lines.MoveNext();
                decoder.DecodeLine(lines.Current, lines.Number);
                lastLine = lines.Number;
            }
            y = decoder.Finish(lastLine);
            for (var i = 0; i < y.Length; i++)
            {
                y[i] *= yFactor;
                if (!double.IsFinite(y[i])) throw new SpectrumFormatException(file, "a Y value times ##YFACTOR overflows", line: tableLine);
            }
            // jcampconverter's rule: x from FIRSTX, LASTX and NPOINTS, not from the per-line abscissa checks or ##DELTAX.
            x = new double[count];
            var step = count > 1 ? (lastX - firstX) / (count - 1) : 0;
            for (var i = 0; i < x.Length; i++) x[i] = firstX + i * step;
        }
        else
        {
            var arity = XyTupleDecoder.ArityOf(variables);
            if (arity == 0) throw new SpectrumFormatException(file, $"unsupported variable list {MessageText.Quote(variables)}", line: tableLine);
            var decoder = new XyTupleDecoder(file, arity);
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
        return block.ToSpectrum(x, y, file);
    }

    /// <summary>##NPOINTS=, checked against <see cref="MaxPoints"/> and the bytes left before any buffer is sized from it.</summary>
    private static int PointCount(JcampBlock block, string file, int remaining, int line)
    {
        var value = block.Number("NPOINTS");
        if (value is not { } n || n != Math.Floor(n) || n < 1)
            throw new SpectrumFormatException(file, $"##NPOINTS={MessageText.Quote(block["NPOINTS"])} is not a positive whole number", line: line);
        if (n > MaxPoints || n > 16.0 * remaining + 16)
            throw new SpectrumFormatException(file, $"##NPOINTS={n:0} is more than the data left in the file can hold", line: line);
        return (int)n;
    }

    private static double Required(JcampBlock block, string name, string file, int line) =>
        block.Number(name) ?? throw new SpectrumFormatException(file, $"##XYDATA= needs a numeric ##{name}=", line: line);

    private static double Factor(JcampBlock block, string name, string file, int line) =>
        block[name] is null ? 1
        : block.Number(name) is { } factor && factor != 0 ? factor
        : throw new SpectrumFormatException(file, $"##{name}={MessageText.Quote(block[name])} is not a non-zero number", line: line);

    /// <summary>The value of a record: the rest of its line and the lines up to the next record, without $$ comments.</summary>
    private static string ReadValue(ref JcampLines lines, ReadOnlySpan<byte> first, bool keep)
    {
        if (!keep)
        {
            SkipContinuation(ref lines);
            return "";
        }
        var value = JcampText.Decode(JcampLines.WithoutComment(first)).Trim();
        if (lines.NextStartsRecordOrEnds()) return value;
        var text = new StringBuilder(value);
        while (!lines.NextStartsRecordOrEnds())
        {
            lines.MoveNext();
            var more = JcampText.Decode(JcampLines.WithoutComment(lines.Current)).Trim();
            if (more.Length > 0) text.Append('\n').Append(more);
        }
        return text.ToString().Trim();
    }

    private static void SkipContinuation(ref JcampLines lines)
    {
        while (!lines.NextStartsRecordOrEnds()) lines.MoveNext();
    }

    private static SpectrumFormatException Outside(string file, string label, int line) =>
        new(file, $"##{MessageText.Quote(label)}= appears outside a block (before ##TITLE=)", line: line);
}
