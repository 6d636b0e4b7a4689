using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>Reads Bruker OPUS binary files (any extension: .0, .1, .001, …) straight from their bytes.</summary>
/// <remarks>
/// Layout: a 24-byte header (magic number, version, directory offset, maximum and used directory
/// entries), then a directory of 12-byte entries (block, channel, text and additional type bytes;
/// length in 4-byte words; byte offset). Parameter blocks are runs of (3-letter code + NUL, int16
/// type, int16 size in 2-byte words, value) ended by "END"; type 0 is an int32, 1 a double, 2–4 text.
/// Data blocks hold float32 values whose x axis and scale come from the matching
/// <c>*_data_param</c> block (NPT, FXV, LXV, CSF).
/// Text values end at their first NUL or at their declared size, whichever comes first (opusreader2 reads one
/// byte past a value that fills its field); parameters of types other than 0–4 are skipped.
/// Every length and count is checked against the file's size before anything is sized from it, and against
/// <see cref="SpectrumLimits"/>: at most <see cref="SpectrumLimits.MaxSpectra"/> data blocks of at most
/// <see cref="SpectrumLimits.MaxPoints"/> points each.
/// </remarks>
public static class OpusReader
{
    private const uint Magic = 0xFEFE0A0A;
    private const int HeaderSize = 24;
    private const int EntrySize = 12;
    private const int ReportHeaderSize = 12;

    /// <summary>True when <paramref name="head"/> (the first bytes of a file) starts with the OPUS magic number.</summary>
    public static bool IsOpus(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == Magic;

    /// <summary>
    /// Parses a whole OPUS file. Every data block becomes an <see cref="OpusDataBlock"/> with a <see cref="Spectrum"/>;
    /// every parameter block keeps its typed values. Blocks opusreader2 does not know are checked but skipped.
    /// </summary>
    /// <remarks>
    /// Each spectrum's <see cref="SpectrumMetadata.Parameters"/> holds the values of its own data-parameter block
    /// (NPT, FXV, DAT, …), which win over, in this order, those of <c>sample</c>, <c>instrument</c>, <c>optics</c>,
    /// <c>acquisition</c> and <c>fourier_transformation</c> (the first block holding a code wins among these). Reference-channel
    /// blocks (sc_ref, ig_ref, ph_ref) take the <c>*_ref</c> variants of instrument, optics, acquisition and
    /// fourier_transformation instead; all other blocks take the sample-channel ones.
    /// </remarks>
    /// <param name="data">The file's bytes.</param>
    /// <param name="file">File name for metadata and error messages.</param>
    /// <exception cref="SpectrumFormatException">The bytes are not a well-formed OPUS file.</exception>
    public static OpusFile Read(ReadOnlySpan<byte> data, string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        SpectrumLimits.CheckFileSize(data.Length, file);
        if (data.Length < HeaderSize)
            throw Error(file, $"{data.Length} bytes is shorter than the 24-byte OPUS header", 0);
        if (!IsOpus(data))
            throw Error(file, "no OPUS magic number (0A 0A FE FE)", 0);

        var directoryOffset = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        if (directoryOffset < HeaderSize || directoryOffset > data.Length)
            throw Error(file, $"directory offset {directoryOffset} is outside the {data.Length}-byte file", 12);
        var count = BinaryPrimitives.ReadInt32LittleEndian(data[20..]);
        var room = (data.Length - directoryOffset) / EntrySize;
        if (count <= 0 || count > room)
            throw Error(file, $"directory claims {count} entries but the file has room for {room}", 20);

        var entries = ArrayPool<Entry>.Shared.Rent(count);
        try
        {
            ReadDirectory(data, file, directoryOffset, entries.AsSpan(0, count));
            return Parse(data, file, entries.AsSpan(0, count));
        }
        finally
        {
            ArrayPool<Entry>.Shared.Return(entries, clearArray: true);
        }
    }

    private static void ReadDirectory(ReadOnlySpan<byte> data, string file, int directoryOffset, Span<Entry> entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var at = directoryOffset + i * EntrySize;
            var entry = data.Slice(at, EntrySize);
            var words = BinaryPrimitives.ReadInt32LittleEndian(entry[4..]);
            var offset = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
            if (words < 0)
                throw Error(file, $"directory entry {i} has a negative length ({words} words)", at + 4);
            if (offset < 0)
                throw Error(file, $"directory entry {i} has a negative offset ({offset})", at + 8);
            var length = 4L * words;
            if (offset + length > data.Length)
                throw Error(file, $"directory entry {i}: block at {offset} of {length} bytes runs past the end of the {data.Length}-byte file", at + 4);
            if (length > 0 && offset < HeaderSize)
                throw Error(file, $"directory entry {i}: block at {offset} overlaps the file header", at + 8);
            var (kind, name) = OpusBlockNames.Classify(entry[0], entry[1], entry[2], entry[3]);
            entries[i] = new Entry(entry[0], entry[1], entry[2], entry[3], offset, (int)length, at, kind, name);
        }
        CheckOverlaps(file, entries);
    }

    private static void CheckOverlaps(string file, ReadOnlySpan<Entry> entries)
    {
        var spans = ArrayPool<(int Start, int End, int At)>.Shared.Rent(entries.Length);
        try
        {
            var n = 0;
            foreach (var entry in entries)
                if (entry.Length > 0) spans[n++] = (entry.Offset, entry.Offset + entry.Length, entry.DirectoryPosition);
            var sorted = spans.AsSpan(0, n);
            sorted.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            for (var i = 1; i < sorted.Length; i++)
            {
                if (sorted[i].Start < sorted[i - 1].End)
                    throw Error(file, $"block at {sorted[i].Start} overlaps the block at {sorted[i - 1].Start} (ends at {sorted[i - 1].End})", sorted[i].At);
            }
        }
        finally
        {
            ArrayPool<(int, int, int)>.Shared.Return(spans);
        }
    }

    private static OpusFile Parse(ReadOnlySpan<byte> data, string file, ReadOnlySpan<Entry> entries)
    {
        int dataCount = 0, parameterCount = 0, textCount = 0;
        foreach (var entry in entries)
        {
            switch (entry.Class)
            {
                case OpusBlockClass.Data when dataCount == SpectrumLimits.MaxSpectra:
                    throw Error(file, SpectrumLimits.Exceeded("the number of data blocks", nameof(SpectrumLimits.MaxSpectra), SpectrumLimits.MaxSpectra), entry.DirectoryPosition);
                case OpusBlockClass.Data: dataCount++; break;
                case OpusBlockClass.Parameter or OpusBlockClass.Report: parameterCount++; break;
                case OpusBlockClass.Text: textCount++; break;
            }
        }

        var parameterBlocks = new OpusParameterBlock[parameterCount];
        var textBlocks = new OpusTextBlock[textCount];
        int parameterIndex = 0, textIndex = 0;
        DateTimeOffset? savedUtc = null;
        var sawHistory = false;
        foreach (var entry in entries)
        {
            var block = data.Slice(entry.Offset, entry.Length);
            switch (entry.Class)
            {
                case OpusBlockClass.Parameter or OpusBlockClass.Report:
                    var skip = entry.Class == OpusBlockClass.Report ? ReportHeaderSize : 0;
                    if (block.Length < skip)
                        throw Error(file, $"report block {entry.Name} is shorter than its {skip}-byte header", entry.Offset);
                    var parameters = OpusParameters.Parse(block[skip..], entry.Offset + skip, file, entry.Name);
                    parameterBlocks[parameterIndex++] = new OpusParameterBlock(entry.Name, entry.Block, entry.Channel, entry.Text, entry.Additional, entry.Offset, entry.Length, parameters);
                    break;
                case OpusBlockClass.Text:
                    textBlocks[textIndex++] = new OpusTextBlock(entry.Name, entry.Block, entry.Channel, entry.Text, entry.Additional, entry.Offset, entry.Length, DecodeText(block));
                    if (entry.Name == "history" && !sawHistory)
                    {
                        sawHistory = true;
                        savedUtc = OpusTime.LastSaveTime(block);
                    }
                    break;
            }
        }

        var context = new SpectrumContext(file, parameterBlocks, dataCount);
        var dataBlocks = new OpusDataBlock[dataCount];
        var spectra = new Spectrum[dataCount];
        var dataIndex = 0;
        foreach (var entry in entries)
        {
            if (entry.Class != OpusBlockClass.Data) continue;
            var spectrum = context.Create(data.Slice(entry.Offset, entry.Length), entry);
            dataBlocks[dataIndex] = new OpusDataBlock(entry.Name, entry.Block, entry.Channel, entry.Text, entry.Additional, entry.Offset, entry.Length, spectrum);
            spectra[dataIndex++] = spectrum;
        }

        return new OpusFile(
            ImmutableCollectionsMarshal.AsImmutableArray(dataBlocks),
            ImmutableCollectionsMarshal.AsImmutableArray(parameterBlocks),
            ImmutableCollectionsMarshal.AsImmutableArray(textBlocks),
            ImmutableCollectionsMarshal.AsImmutableArray(spectra),
            context.SampleName,
            context.FileAcquiredUtc,
            savedUtc);
    }

    /// <summary>Joins the NUL-separated pieces of a text block with line breaks, decoding straight into the string.</summary>
    private static string DecodeText(ReadOnlySpan<byte> block)
    {
        var length = DecodeText(block, []);
        return length == 0 ? string.Empty : string.Create(length, block, static (chars, bytes) => DecodeText(bytes, chars));
    }

    /// <summary>
    /// The length of the text of <paramref name="block"/> (its non-empty NUL-separated pieces, one line break between two),
    /// written to <paramref name="chars"/> unless that is empty. Pieces are found and widened a vector at a time.
    /// </summary>
    private static int DecodeText(ReadOnlySpan<byte> block, Span<char> chars)
    {
        var write = !chars.IsEmpty;
        var n = 0;
        while (true)
        {
            var start = block.IndexOfAnyExcept((byte)0);
            if (start < 0) return n;
            block = block[start..];
            var end = block.IndexOf((byte)0);
            var piece = end < 0 ? block : block[..end];
            if (n > 0)
            {
                if (write) chars[n] = '\n';
                n++;
            }
            if (write) Windows1252.GetChars(piece, chars[n..]);
            n += piece.Length;
            if (end < 0) return n;
            block = block[end..];
        }
    }

    internal static SpectrumFormatException Error(string file, string reason, long offset) => new(file, reason, offset: offset);

    /// <summary>A validated directory entry: its four type bytes, where its block lies, and what it is.</summary>
    [StructLayout(LayoutKind.Auto)]
    internal readonly record struct Entry(
        byte Block, byte Channel, byte Text, byte Additional, int Offset, int Length, int DirectoryPosition, OpusBlockClass Class, string Name);
}
