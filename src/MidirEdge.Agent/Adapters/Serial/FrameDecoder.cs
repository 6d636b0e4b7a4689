using MidirEdge.Spectra;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>One outcome of decoding: a spectrum with the bytes of its frame, or the reason a frame was dropped.</summary>
public readonly record struct FrameResult(Spectrum? Spectrum, byte[] Bytes, string? Error)
{
    /// <summary>A decoded frame.</summary>
    public static FrameResult Ok(Spectrum spectrum, byte[] bytes) => new(spectrum, bytes, null);

    /// <summary>A dropped frame.</summary>
    public static FrameResult Bad(string error) => new(null, [], error);
}

/// <summary>Turns a byte stream from a port into frames; keeps partial frames between calls and resynchronises after bad ones.</summary>
public abstract class FrameDecoder
{
    /// <summary>The decoder for <paramref name="profile"/>'s protocol.</summary>
    public static FrameDecoder Create(SerialProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Protocol == SerialProtocol.AsciiLines ? new AsciiLinesDecoder(profile) : new BinaryFramesDecoder(profile);
    }

    /// <summary>Whether part of a frame has arrived and the rest is awaited.</summary>
    public abstract bool InFrame { get; }

    /// <summary>Consumes <paramref name="data"/>, adding every completed or dropped frame to <paramref name="results"/>.</summary>
    public abstract void Feed(ReadOnlySpan<byte> data, List<FrameResult> results);

    /// <summary>Forgets any partial frame (after a timeout or a reconnect).</summary>
    public abstract void Reset();
}
