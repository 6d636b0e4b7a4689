using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>Encodes a spectrum the way a profile's instrument sends it; the instrument side of <see cref="FrameDecoder"/>.</summary>
public static class FrameEncoder
{
    /// <summary>One frame carrying <paramref name="spectrum"/>; throws <see cref="ArgumentException"/> when the spectrum does not fit the profile.</summary>
    public static byte[] Encode(SerialProfile profile, Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(spectrum);
        if (spectrum.Length < 2) throw new ArgumentException($"The spectrum has {spectrum.Length} point(s); a frame needs at least 2.", nameof(spectrum));
        if (profile.Axis?.Count is { } count && count != spectrum.Length && (profile.Protocol == SerialProtocol.BinaryFrames || profile.AsciiLines!.Data == AsciiData.Y))
            throw new ArgumentException($"The spectrum has {spectrum.Length} points but the profile's axis has {count}.", nameof(spectrum));
        return profile.Protocol == SerialProtocol.AsciiLines ? Ascii(profile.AsciiLines!, spectrum) : Binary(profile.BinaryFrames!, spectrum);
    }

    private static byte[] Ascii(AsciiLinesProfile ascii, Spectrum spectrum)
    {
        var nl = ascii.NewLine;
        var text = new StringBuilder();
        text.Append(ascii.StartMarker).Append(nl);
        foreach (var (key, field) in ascii.Header)
        {
            var value = field switch
            {
                "sampleName" => spectrum.Metadata.SampleName,
                "instrument" => spectrum.Metadata.Instrument,
                "acquiredUtc" => spectrum.Metadata.AcquiredUtc?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
                "resolution" => spectrum.Metadata.Resolution?.ToString("R", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (value is not null) text.Append(key).Append('=').Append(value.ReplaceLineEndings(" ")).Append(nl);
        }
        var lines = new List<string>(spectrum.Length);
        var sum = 0.0;
        for (var i = 0; i < spectrum.Length; i++)
        {
            var y = spectrum.Y[i].ToString("R", CultureInfo.InvariantCulture);
            lines.Add(ascii.Data == AsciiData.XY ? $"{spectrum.X[i].ToString("R", CultureInfo.InvariantCulture)}{ascii.Separator}{y}" : y);
            sum += spectrum.Y[i];
        }
        foreach (var line in lines) text.Append(line).Append(nl);
        if (ascii.Checksum == AsciiChecksum.Crc32)
            text.Append(ascii.ChecksumKey).Append('=').Append(AsciiLinesDecoder.Crc32OfDataLines(lines).ToString("X8", CultureInfo.InvariantCulture)).Append(nl);
        else if (ascii.Checksum == AsciiChecksum.Sum)
            text.Append(ascii.ChecksumKey).Append('=').Append(sum.ToString("R", CultureInfo.InvariantCulture)).Append(nl);
        text.Append(ascii.EndMarker).Append(nl);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] Binary(BinaryFramesProfile binary, Spectrum spectrum)
    {
        var length = spectrum.Length * binary.ValueSize;
        if (spectrum.Length > binary.MaxPoints) throw new ArgumentException($"The spectrum has {spectrum.Length} points; the profile allows {binary.MaxPoints}.", nameof(spectrum));
        if (binary.LengthBytes == 2 && length > ushort.MaxValue) throw new ArgumentException($"A {length}-byte payload does not fit a 16-bit length field.", nameof(spectrum));
        var header = binary.Sync.Length + binary.LengthBytes;
        var frame = new byte[header + length + binary.CrcSize];
        binary.Sync.CopyTo(frame, 0);
        var big = binary.BigEndian;
        var lengthField = frame.AsSpan(binary.Sync.Length, binary.LengthBytes);
        if (binary.LengthBytes == 2) { if (big) BinaryPrimitives.WriteUInt16BigEndian(lengthField, (ushort)length); else BinaryPrimitives.WriteUInt16LittleEndian(lengthField, (ushort)length); }
        else { if (big) BinaryPrimitives.WriteUInt32BigEndian(lengthField, (uint)length); else BinaryPrimitives.WriteUInt32LittleEndian(lengthField, (uint)length); }
        for (var i = 0; i < spectrum.Length; i++)
        {
            var raw = spectrum.Y[i] / binary.Scale;
            var at = frame.AsSpan(header + i * binary.ValueSize);
            switch (binary.ValueType)
            {
                case BinaryValueType.Float32:
                    if (big) BinaryPrimitives.WriteSingleBigEndian(at, (float)raw); else BinaryPrimitives.WriteSingleLittleEndian(at, (float)raw);
                    break;
                case BinaryValueType.Int32:
                    var i32 = Math.Round(raw);
                    if (i32 is < int.MinValue or > int.MaxValue) throw new ArgumentException($"y[{i}] = {spectrum.Y[i]} does not fit int32 at scale {binary.Scale}.", nameof(spectrum));
                    if (big) BinaryPrimitives.WriteInt32BigEndian(at, (int)i32); else BinaryPrimitives.WriteInt32LittleEndian(at, (int)i32);
                    break;
                default:
                    var u16 = Math.Round(raw);
                    if (u16 is < 0 or > ushort.MaxValue) throw new ArgumentException($"y[{i}] = {spectrum.Y[i]} does not fit uint16 at scale {binary.Scale}.", nameof(spectrum));
                    if (big) BinaryPrimitives.WriteUInt16BigEndian(at, (ushort)u16); else BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)u16);
                    break;
            }
        }
        var covered = frame.AsSpan(binary.Sync.Length, binary.LengthBytes + length);
        var crc = frame.AsSpan(header + length);
        switch (binary.Crc)
        {
            case FrameCrc.Crc16Ccitt:
                var c16 = Crc16Ccitt.Compute(covered);
                if (big) BinaryPrimitives.WriteUInt16BigEndian(crc, c16); else BinaryPrimitives.WriteUInt16LittleEndian(crc, c16);
                break;
            case FrameCrc.Crc32:
                var c32 = Crc32.HashToUInt32(covered);
                if (big) BinaryPrimitives.WriteUInt32BigEndian(crc, c32); else BinaryPrimitives.WriteUInt32LittleEndian(crc, c32);
                break;
        }
        return frame;
    }
}
