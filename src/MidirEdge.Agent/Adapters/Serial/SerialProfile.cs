using System.IO.Ports;
using MidirEdge.Agent.Profiles;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>Spectrum framing on a serial line.</summary>
public enum SerialProtocol
{
    /// <summary>Text lines between start and end markers (<c>ascii-lines</c>).</summary>
    AsciiLines,
    /// <summary>Binary frames with sync bytes, length and CRC (<c>binary-frames</c>).</summary>
    BinaryFrames,
}

/// <summary>Port settings, framing and spectrum description of a serial instrument.</summary>
public sealed record SerialProfile
{
    /// <summary>Baud rate.</summary>
    public int BaudRate { get; init; } = 9600;

    /// <summary>Parity.</summary>
    public Parity Parity { get; init; } = Parity.None;

    /// <summary>Data bits (5–8).</summary>
    public int DataBits { get; init; } = 8;

    /// <summary>Stop bits.</summary>
    public StopBits StopBits { get; init; } = StopBits.One;

    /// <summary>Flow control.</summary>
    public Handshake Handshake { get; init; } = Handshake.None;

    /// <summary>Framing.</summary>
    public required SerialProtocol Protocol { get; init; }

    /// <summary>Command that asks the instrument for a spectrum, or null when it sends on its own.</summary>
    public SerialTrigger? Trigger { get; init; }

    /// <summary>A frame that stops arriving for this long is dropped as incomplete.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>What the received y values measure.</summary>
    public required YKind YKind { get; init; }

    /// <summary>Unit of the x axis.</summary>
    public required XUnit XUnit { get; init; }

    /// <summary>The x axis for y-only data; required unless every ASCII data line carries x.</summary>
    public SpectrumAxis? Axis { get; init; }

    /// <summary>Settings of <see cref="SerialProtocol.AsciiLines"/>.</summary>
    public AsciiLinesProfile? AsciiLines { get; init; }

    /// <summary>Settings of <see cref="SerialProtocol.BinaryFrames"/>.</summary>
    public BinaryFramesProfile? BinaryFrames { get; init; }

    private static readonly Dictionary<string, SerialProtocol> ProtocolNames = new() { ["ascii-lines"] = SerialProtocol.AsciiLines, ["binary-frames"] = SerialProtocol.BinaryFrames };
    private static readonly Dictionary<string, Parity> ParityNames = new() { ["none"] = Parity.None, ["odd"] = Parity.Odd, ["even"] = Parity.Even, ["mark"] = Parity.Mark, ["space"] = Parity.Space };
    private static readonly Dictionary<string, StopBits> StopBitsNames = new() { ["one"] = StopBits.One, ["one-point-five"] = StopBits.OnePointFive, ["two"] = StopBits.Two };
    private static readonly Dictionary<string, Handshake> HandshakeNames = new() { ["none"] = Handshake.None, ["xon-xoff"] = Handshake.XOnXOff, ["rts-cts"] = Handshake.RequestToSend, ["rts-cts-xon-xoff"] = Handshake.RequestToSendXOnXOff };
    private static readonly Dictionary<string, YKind> YKindNames = Enum.GetValues<YKind>().ToDictionary(k => Spectra.Json.SpectrumJson.Name(k));
    private static readonly Dictionary<string, XUnit> XUnitNames = new() { ["cm-1"] = XUnit.Wavenumber, ["um"] = XUnit.Micrometre, ["nm"] = XUnit.Nanometre, ["points"] = XUnit.Points };

    /// <summary>Reads the <c>serial</c> section of a <c>serial</c> profile.</summary>
    /// <exception cref="DeviceProfileException">The profile is for another kind, or its section is broken.</exception>
    public static SerialProfile From(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Section(SerialOptions.AdapterKind, Read);
    }

    private static SerialProfile Read(ProfileSection s)
    {
        var protocol = s.Enum("protocol", ProtocolNames);
        var profile = new SerialProfile
        {
            BaudRate = s.Int("baudRate", 9600, 50, 4_000_000),
            Parity = s.Enum("parity", ParityNames, Parity.None),
            DataBits = s.Int("dataBits", 8, 5, 8),
            StopBits = s.Enum("stopBits", StopBitsNames, StopBits.One),
            Handshake = s.Enum("handshake", HandshakeNames, Handshake.None),
            Protocol = protocol,
            Trigger = s.OptionalSection("trigger") is { } t ? SerialTrigger.Read(t) : null,
            FrameTimeout = s.OptionalDuration("frameTimeout") ?? TimeSpan.FromSeconds(2),
            YKind = s.Enum("yKind", YKindNames),
            XUnit = s.Enum("xUnit", XUnitNames),
            Axis = s.OptionalSection("axis") is { } a ? SpectrumAxis.Read(a) : null,
            AsciiLines = protocol == SerialProtocol.AsciiLines ? AsciiLinesProfile.Read(s.RequiredSection("asciiLines")) : null,
            BinaryFrames = protocol == SerialProtocol.BinaryFrames ? BinaryFramesProfile.Read(s.RequiredSection("binaryFrames")) : null,
        };
        var yOnly = protocol == SerialProtocol.BinaryFrames || profile.AsciiLines!.Data == AsciiData.Y;
        if (yOnly && profile.Axis is null)
            throw s.Error("axis", "is required because the data carry y values only");
        s.EndObject();
        return profile;
    }
}

/// <summary>A command the instrument answers with a spectrum.</summary>
/// <param name="Command">Text sent as is (JSON escapes such as <c>\r\n</c> included).</param>
/// <param name="Every">Repeat interval; null sends it once on connect.</param>
public sealed record SerialTrigger(string Command, TimeSpan? Every)
{
    internal static SerialTrigger Read(ProfileSection s)
    {
        var trigger = new SerialTrigger(s.RequiredString("command"), s.OptionalDuration("every"));
        s.EndObject();
        return trigger;
    }
}

/// <summary>An evenly spaced x axis from <paramref name="First"/> to <paramref name="Last"/>.</summary>
/// <param name="First">x of the first point.</param>
/// <param name="Last">x of the last point.</param>
/// <param name="Count">Points per spectrum, or null to accept any count of at least 2.</param>
public sealed record SpectrumAxis(double First, double Last, int? Count)
{
    /// <summary>The x values for <paramref name="count"/> points.</summary>
    public double[] Values(int count)
    {
        var x = new double[count];
        if (count == 1) { x[0] = First; return x; }
        var step = (Last - First) / (count - 1);
        for (var i = 0; i < count; i++) x[i] = First + i * step;
        x[^1] = Last;
        return x;
    }

    internal static SpectrumAxis Read(ProfileSection s)
    {
        var axis = new SpectrumAxis(s.RequiredDouble("first"), s.RequiredDouble("last"), s.OptionalInt("count", 2, 1 << 20));
        if (axis.First == axis.Last) throw s.Error("last", "must differ from first");
        s.EndObject();
        return axis;
    }
}
