using System.Buffers.Binary;
using System.IO.Hashing;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>
/// Decodes the <c>binary-frames</c> protocol: <c>[sync][length][payload][crc]</c>, where length counts payload
/// bytes and the CRC covers length and payload. A frame whose length is implausible or whose CRC fails is
/// dropped and the search for sync bytes resumes one byte after the rejected sync.
/// </summary>
internal sealed class BinaryFramesDecoder(SerialProfile profile) : FrameDecoder
{
    private readonly BinaryFramesProfile _binary = profile.BinaryFrames!;
    private byte[] _buffer = new byte[4096];
    private int _count;

    public override bool InFrame => _count > 0;

    public override void Feed(ReadOnlySpan<byte> data, List<FrameResult> results)
    {
        if (_count + data.Length > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + data.Length));
        data.CopyTo(_buffer.AsSpan(_count));
        _count += data.Length;
        var start = 0;
        while (true)
        {
            var span = _buffer.AsSpan(start, _count - start);
            var sync = span.IndexOf(_binary.Sync);
            if (sync < 0)
            {
                // Keep a tail that may be the first bytes of a sync sequence.
                var keep = Math.Min(span.Length, _binary.Sync.Length - 1);
                if (span.Length - keep > 0) results.Add(FrameResult.Bad($"{span.Length - keep} byte(s) outside any frame skipped"));
                start = _count - keep;
                break;
            }
            if (sync > 0) results.Add(FrameResult.Bad($"{sync} byte(s) before the sync bytes skipped"));
            start += sync;
            span = span[sync..];
            var header = _binary.Sync.Length + _binary.LengthBytes;
            if (span.Length < header) break;
            var lengthField = span.Slice(_binary.Sync.Length, _binary.LengthBytes);
            long length = _binary.LengthBytes == 2
                ? (_binary.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(lengthField) : BinaryPrimitives.ReadUInt16LittleEndian(lengthField))
                : (_binary.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(lengthField) : BinaryPrimitives.ReadUInt32LittleEndian(lengthField));
            var points = length / _binary.ValueSize;
            var lengthError = length % _binary.ValueSize != 0 ? $"length {length} is not a multiple of {_binary.ValueSize}"
                : points < 2 || points > _binary.MaxPoints ? $"length {length} gives {points} points, outside 2–{_binary.MaxPoints}"
                : profile.Axis?.Count is { } expected && expected != points ? $"the frame holds {points} points but the profile's axis has {expected}"
                : null;
            if (lengthError is not null)
            {
                results.Add(FrameResult.Bad(lengthError));
                start += 1;
                continue;
            }
            var total = header + (int)length + _binary.CrcSize;
            if (span.Length < total) break;
            var frame = span[..total];
            var covered = frame[_binary.Sync.Length..(header + (int)length)];
            if (!CrcMatches(covered, frame[^_binary.CrcSize..]))
            {
                results.Add(FrameResult.Bad($"{(_binary.Crc == FrameCrc.Crc32 ? "CRC-32" : "CRC-16/CCITT")} mismatch on a {total}-byte frame"));
                start += 1;
                continue;
            }
            results.Add(FrameResult.Ok(Decode(frame.Slice(header, (int)length), (int)points), frame.ToArray()));
            start += total;
        }
        _buffer.AsSpan(start, _count - start).CopyTo(_buffer);
        _count -= start;
    }

    public override void Reset() => _count = 0;

    private bool CrcMatches(ReadOnlySpan<byte> covered, ReadOnlySpan<byte> stored) => _binary.Crc switch
    {
        FrameCrc.Crc16Ccitt => Crc16Ccitt.Compute(covered) == (_binary.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(stored) : BinaryPrimitives.ReadUInt16LittleEndian(stored)),
        FrameCrc.Crc32 => Crc32.HashToUInt32(covered) == (_binary.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(stored) : BinaryPrimitives.ReadUInt32LittleEndian(stored)),
        _ => true,
    };

    private Spectrum Decode(ReadOnlySpan<byte> payload, int points)
    {
        var y = new double[points];
        var big = _binary.BigEndian;
        for (var i = 0; i < points; i++)
        {
            double raw = _binary.ValueType switch
            {
                BinaryValueType.Float32 => big ? BinaryPrimitives.ReadSingleBigEndian(payload[(i * 4)..]) : BinaryPrimitives.ReadSingleLittleEndian(payload[(i * 4)..]),
                BinaryValueType.Int32 => big ? BinaryPrimitives.ReadInt32BigEndian(payload[(i * 4)..]) : BinaryPrimitives.ReadInt32LittleEndian(payload[(i * 4)..]),
                _ => big ? BinaryPrimitives.ReadUInt16BigEndian(payload[(i * 2)..]) : BinaryPrimitives.ReadUInt16LittleEndian(payload[(i * 2)..]),
            };
            y[i] = raw * _binary.Scale;
        }
        return Spectrum.Create(profile.Axis!.Values(points), y, profile.XUnit, profile.YKind);
    }
}
