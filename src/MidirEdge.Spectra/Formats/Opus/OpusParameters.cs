using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>Parses the (code, type, size, value) runs of a parameter block.</summary>
internal static class OpusParameters
{
    private const int EntryHeaderSize = 8;

    /// <summary>
    /// Parses a parameter block that starts at file offset <paramref name="offset"/>. Parsing stops at "END" or at the
    /// block end; a value that runs past the block end is an error. Values of types other than 0–4 are skipped.
    /// </summary>
    public static ImmutableArray<OpusParameter> Parse(ReadOnlySpan<byte> block, int offset, string file, string blockName)
    {
        // First pass: validate the layout and count the values, so the array is allocated once and exactly.
        var count = 0;
        for (var cursor = 0; Next(block, ref cursor, offset, file, blockName, out var type);)
            if (type <= 4) count++;

        // Second pass over the entries the first validated, up to the last value counted.
        var values = new OpusParameter[count];
        for (int cursor = 0, n = 0; n < count;)
        {
            var at = cursor;
            var type = BinaryPrimitives.ReadUInt16LittleEndian(block[(at + 4)..]);
            var size = 2 * BinaryPrimitives.ReadUInt16LittleEndian(block[(at + 6)..]);
            cursor += EntryHeaderSize + size;
            if (type > 4) continue;
            var value = block.Slice(at + EntryHeaderSize, size);
            var code = Code(block.Slice(at, 4));
            values[n++] = new OpusParameter(code, type switch
            {
                0 => value.Length >= 4
                    ? Integer(BinaryPrimitives.ReadInt32LittleEndian(value))
                    : throw OpusReader.Error(file, $"{blockName}.{OneLine.Quote(code)}: integer needs 4 bytes, has {value.Length}", offset + at),
                1 => value.Length >= 8
                    ? BinaryPrimitives.ReadDoubleLittleEndian(value)
                    : throw OpusReader.Error(file, $"{blockName}.{OneLine.Quote(code)}: double needs 8 bytes, has {value.Length}", offset + at),
                _ => Windows1252.GetNulTerminatedString(value),
            });
        }
        return ImmutableCollectionsMarshal.AsImmutableArray(values);
    }

    // Boxed integers from -1 to 1023, the most common values of integer parameters (flags, counts, channel numbers), made once.
    private static readonly object[] SmallIntegers = [.. Enumerable.Range(-1, 1025).Select(static i => (object)(long)i)];

    /// <summary>The value boxed as a <see cref="long"/>, shared for small values.</summary>
    private static object Integer(int value) =>
        (uint)(value + 1) < (uint)SmallIntegers.Length ? SmallIntegers[value + 1] : (long)value;

    /// <summary>Checks the entry at <paramref name="cursor"/> and moves past it; false at "END" or the block end.</summary>
    private static bool Next(ReadOnlySpan<byte> block, ref int cursor, int offset, string file, string blockName, out int type)
    {
        type = 0;
        var remaining = block.Length - cursor;
        if (remaining <= 0 || (remaining >= 3 && block[cursor] == 'E' && block[cursor + 1] == 'N' && block[cursor + 2] == 'D')) return false;
        if (remaining < EntryHeaderSize)
            throw OpusReader.Error(file, $"parameter entry in {blockName} is cut off by the block end", offset + cursor);
        type = BinaryPrimitives.ReadUInt16LittleEndian(block[(cursor + 4)..]);
        var size = 2 * BinaryPrimitives.ReadUInt16LittleEndian(block[(cursor + 6)..]);
        if (size > remaining - EntryHeaderSize)
            throw OpusReader.Error(file, $"parameter value of {size} bytes in {blockName} runs past the block end", offset + cursor + 6);
        cursor += EntryHeaderSize + size;
        return true;
    }

    // Codes seen before, by their four bytes: a fixed table (memory stays bounded whatever the files hold), read without locks.
    // A slot holds one immutable entry, so a reader sees a whole entry or none; two codes sharing a slot only cost a string.
    private const int CodeSlotBits = 11;
    private static readonly CodeEntry?[] Codes = new CodeEntry?[1 << CodeSlotBits];

    /// <summary>The code (the bytes before the NUL); codes seen before are shared rather than allocated again.</summary>
    private static string Code(ReadOnlySpan<byte> name)
    {
        var key = BinaryPrimitives.ReadInt32LittleEndian(name);
        var slot = (int)((uint)key * 2654435769u >> (32 - CodeSlotBits));
        var entry = Volatile.Read(ref Codes[slot]);
        if (entry is not null && entry.Key == key) return entry.Code;
        var code = Windows1252.GetNulTerminatedString(name);
        Volatile.Write(ref Codes[slot], new CodeEntry(key, code));
        return code;
    }

    private sealed record CodeEntry(int Key, string Code);
}
