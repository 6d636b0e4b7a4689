using System.Globalization;
using System.Text;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Faults.Tests;

/// <summary>
/// The files the campaign drops into an inbox: distinct good soil spectra (the eight demo soils, each copy scaled by a
/// different factor so every spectrum hashes differently) and a seeded corpus of mutated and hostile instrument files.
/// </summary>
internal sealed class SpectrumCorpus
{
    private static readonly string[] OpusSources =
        ["BF_lo_01_soil_cal.1", "issue81_A1.1.0", "issue82_Opus_test.0", "test_spectra.0"];

    private readonly (double[] X, double[] Y)[] _soils;
    private readonly (string Name, byte[] Bytes)[] _sources;

    public SpectrumCorpus()
    {
        _soils = Directory.GetFiles(Fixtures.RepositoryPath("demo/spectra"), "*.csv").Order(StringComparer.Ordinal)
            .Select(path => CsvSpectrumReader.Read(File.ReadAllBytes(path), path)[0])
            .Select(s => (s.X.ToArray(), s.Y.ToArray())).ToArray();
        var jcamp = Directory.GetFiles(Fixtures.Path("data/jcamp"), "*", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length < 64 * 1024).Order(StringComparer.Ordinal);
        _sources =
        [
            .. OpusSources.Select(name => (name, File.ReadAllBytes(Fixtures.Path("data/opus/" + name)))),
            .. jcamp.Select(path => (Path.GetFileName(path), File.ReadAllBytes(path))),
            .. Directory.GetFiles(Fixtures.RepositoryPath("demo/spectra"), "*.csv").Order(StringComparer.Ordinal)
                .Select(path => (Path.GetFileName(path), File.ReadAllBytes(path))),
        ];
    }

    /// <summary>Writes good spectrum <paramref name="index"/> as a two-column CSV named <c>{prefix}-{index}.csv</c>; returns its sample name.</summary>
    public string WriteGood(string folder, string prefix, int index)
    {
        var (x, y) = _soils[index % _soils.Length];
        var scale = 1 + 1e-7 * (index + 1);
        var text = new StringBuilder(48 * x.Length).Append("wavenumber,absorbance\n");
        for (var k = 0; k < x.Length; k++)
            text.Append(x[k].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append((y[k] * scale).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        var name = $"{prefix}-{index:D6}";
        File.WriteAllText(Path.Combine(folder, name + ".csv"), text.ToString());
        return name;
    }

    /// <summary>Writes bad file <paramref name="index"/> (seeded by <paramref name="seed"/>) into <paramref name="folder"/>; returns its file name.</summary>
    public string WriteBad(string folder, int index, int seed)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var (bytes, kind) = random.Next(50) == 0 ? Hostile(random) : Mutant(random);
        var name = $"bad-{index:D6}-{kind}";
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return name;
    }

    // Truncations, bit flips and injected control bytes of real OPUS, JCAMP-DX and CSV files.
    private (byte[] Bytes, string Kind) Mutant(Random random)
    {
        var (source, original) = _sources[random.Next(_sources.Length)];
        var kind = Sanitise(source);
        switch (random.Next(3))
        {
            case 0:
                return (original.AsSpan(0, random.Next(original.Length)).ToArray(), "trunc-" + kind);
            case 1:
            {
                var mutant = (byte[])original.Clone();
                for (var flips = random.Next(1, 9); flips > 0; flips--) mutant[random.Next(mutant.Length)] ^= (byte)(1 << random.Next(8));
                return (mutant, "flip-" + kind);
            }
            default:
            {
                // Newlines, ESC sequences and NULs where text is expected: what log and terminal injection would use.
                byte[][] payloads = [[0x1B, (byte)'[', (byte)'2', (byte)'J'], [(byte)'\r', (byte)'\n'], [0], [0x1B, (byte)']', (byte)'0', (byte)';', (byte)'x', 7]];
                var list = new List<byte>(original);
                for (var n = random.Next(1, 6); n > 0; n--) list.InsertRange(random.Next(list.Count), payloads[random.Next(payloads.Length)]);
                return ([.. list], "ctrl-" + kind);
            }
        }
    }

    // Files no instrument writes but a folder can receive: empty, NUL-filled, flat, non-finite, huge lines, millions of columns.
    private (byte[] Bytes, string Kind) Hostile(Random random)
    {
        var (x, _) = _soils[0];
        switch (random.Next(7))
        {
            case 0: return ([], "empty");
            case 1: return (new byte[random.Next(1, 4) << 20], "nul");
            case 2: return (Csv(x, _ => 0.5), "flat");
            case 3: return (Csv(x, k => k % 7 == 0 ? double.NaN : 0.3), "nan");
            case 4: return (Repeat("0,", 3 << 20), "wide");
            case 5: return (Repeat("1", 4 << 20), "longline");
            default: return (Encoding.ASCII.GetBytes("##TITLE=\u001b[31mred\u001b[0m\r\n##JCAMP-DX=5.01\n##XYDATA=(X++(Y..Y))\n1 \u001b]0;x\u0007\n##END="), "jcamp-esc");
        }
    }

    private static byte[] Csv(double[] x, Func<int, double> y)
    {
        var text = new StringBuilder("wavenumber,absorbance\n");
        for (var k = 0; k < x.Length; k++)
            text.Append(x[k].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(y(k).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static byte[] Repeat(string unit, int count) => Encoding.ASCII.GetBytes(new StringBuilder(unit.Length * count).Insert(0, unit, count).ToString());

    private static string Sanitise(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '_')]);
}
