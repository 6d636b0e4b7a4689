using System.Collections.Immutable;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>
/// Decodes the <c>ascii-lines</c> protocol: a start-marker line, <c>KEY=value</c> header lines, data lines
/// (<c>x,y</c> or <c>y</c>), an optional <c>CHECKSUM=</c> line and an end-marker line; LF or CRLF line ends.
/// </summary>
internal sealed class AsciiLinesDecoder(SerialProfile profile) : FrameDecoder
{
    private const int MaxLineBytes = 4096;

    private readonly AsciiLinesProfile _ascii = profile.AsciiLines!;
    private readonly List<byte> _line = [];
    private readonly List<byte> _frame = [];
    private readonly List<double> _x = [];
    private readonly List<double> _y = [];
    private readonly List<string> _dataLines = [];
    private readonly Dictionary<string, string> _header = new(StringComparer.Ordinal);
    private string? _checksum;
    private bool _inFrame;
    private bool _lineTooLong;

    public override bool InFrame => _inFrame;

    public override void Feed(ReadOnlySpan<byte> data, List<FrameResult> results)
    {
        foreach (var b in data)
        {
            if (_inFrame) _frame.Add(b);
            if (b != (byte)'\n')
            {
                if (_line.Count < MaxLineBytes) _line.Add(b);
                else _lineTooLong = true;
                continue;
            }
            var tooLong = _lineTooLong;
            var count = _line.Count > 0 && _line[^1] == (byte)'\r' ? _line.Count - 1 : _line.Count;
            var line = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_line)[..count]);
            _line.Clear();
            _lineTooLong = false;
            if (tooLong)
            {
                if (_inFrame) Drop(results, $"a line longer than {MaxLineBytes} bytes");
                continue;
            }
            OnLine(line, results);
        }
    }

    public override void Reset()
    {
        _inFrame = false;
        _frame.Clear();
        _x.Clear();
        _y.Clear();
        _dataLines.Clear();
        _header.Clear();
        _checksum = null;
    }

    private void OnLine(string line, List<FrameResult> results)
    {
        if (line == _ascii.StartMarker)
        {
            if (_inFrame) results.Add(FrameResult.Bad("a start marker arrived inside a frame; the frame before it was cut off"));
            Reset();
            _inFrame = true;
            _frame.AddRange(Encoding.UTF8.GetBytes(line + "\n"));
            return;
        }
        if (!_inFrame) return;   // noise between frames
        if (line == _ascii.EndMarker)
        {
            results.Add(Finish());
            Reset();
            return;
        }
        if (line.Length == 0) return;
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && !LooksNumeric(line[0]))
        {
            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (key == _ascii.ChecksumKey) _checksum = value;
            else _header[key] = value;
            return;
        }
        if (!TryParseData(line))
        {
            Drop(results, $"data line {_dataLines.Count + 1} is not {(_ascii.Data == AsciiData.XY ? "x" + _ascii.Separator + "y" : "a number")}: \"{Shorten(line)}\"");
            return;
        }
        _dataLines.Add(line);
        if (_y.Count > 1 << 20) Drop(results, "more than 1048576 data lines without an end marker");
    }

    private bool TryParseData(string line)
    {
        if (_ascii.Data == AsciiData.Y)
        {
            if (!TryNumber(line, out var y)) return false;
            _y.Add(y);
            return true;
        }
        var sep = line.IndexOf(_ascii.Separator);
        if (sep < 0 || !TryNumber(line.AsSpan(0, sep), out var xv) || !TryNumber(line.AsSpan(sep + 1), out var yv)) return false;
        _x.Add(xv);
        _y.Add(yv);
        return true;
    }

    private FrameResult Finish()
    {
        var n = _y.Count;
        if (n < 2) return FrameResult.Bad($"the frame holds {n} data line(s); a spectrum needs at least 2");
        var checksumError = CheckChecksum();
        if (checksumError is not null) return FrameResult.Bad(checksumError);
        double[] x;
        if (_ascii.Data == AsciiData.XY) x = [.. _x];
        else
        {
            var axis = profile.Axis!;
            if (axis.Count is { } expected && expected != n)
                return FrameResult.Bad($"the frame holds {n} points but the profile's axis has {expected}");
            x = axis.Values(n);
        }
        var spectrum = Spectrum.Create(x, [.. _y], profile.XUnit, profile.YKind, Metadata());
        return FrameResult.Ok(spectrum, [.. _frame]);
    }

    private string? CheckChecksum()
    {
        if (_ascii.Checksum == AsciiChecksum.None) return null;
        if (_checksum is null) return $"the {_ascii.ChecksumKey}= line is missing";
        if (_ascii.Checksum == AsciiChecksum.Crc32)
        {
            var actual = Crc32OfDataLines(_dataLines);
            return uint.TryParse(_checksum, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var expected) && expected == actual
                ? null
                : $"CRC-32 mismatch: the frame says {_checksum}, the data lines give {actual:X8}";
        }
        var sum = 0.0;
        foreach (var y in _y) sum += y;
        return TryNumber(_checksum, out var said) && Math.Abs(sum - said) <= 1e-9 * Math.Max(1, Math.Abs(said))
            ? null
            : $"sum mismatch: the frame says {_checksum}, the data lines give {sum.ToString("R", CultureInfo.InvariantCulture)}";
    }

    /// <summary>CRC-32 (IEEE) of the data lines, each followed by one LF.</summary>
    internal static uint Crc32OfDataLines(IEnumerable<string> lines)
    {
        var crc = new Crc32();
        foreach (var line in lines)
        {
            crc.Append(Encoding.UTF8.GetBytes(line));
            crc.Append("\n"u8);
        }
        return crc.GetCurrentHashAsUInt32();
    }

    private SpectrumMetadata Metadata()
    {
        var metadata = new SpectrumMetadata();
        var parameters = ImmutableDictionary.CreateBuilder<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in _header)
        {
            switch (_ascii.Header.GetValueOrDefault(key))
            {
                case "sampleName": metadata = metadata with { SampleName = value }; break;
                case "instrument": metadata = metadata with { Instrument = value }; break;
                case "acquiredUtc" when DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t):
                    metadata = metadata with { AcquiredUtc = t.ToUniversalTime() };
                    break;
                case "resolution" when TryNumber(value, out var r): metadata = metadata with { Resolution = r }; break;
                default: parameters[key] = value; break;
            }
        }
        return metadata with { Parameters = parameters.ToImmutable() };
    }

    private void Drop(List<FrameResult> results, string reason)
    {
        results.Add(FrameResult.Bad(reason));
        Reset();
    }

    private static bool LooksNumeric(char c) => char.IsDigit(c) || c is '-' or '+' or '.';

    private static bool TryNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Shorten(string line) => line.Length <= 40 ? line : line[..40] + "…";
}
