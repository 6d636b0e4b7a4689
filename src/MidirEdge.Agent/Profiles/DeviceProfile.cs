using System.IO.Ports;
using System.Text.Json;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Profiles;

/// <summary>Which adapter captures from a device.</summary>
public enum AdapterKind
{
    /// <summary>Instrument software writes files into a folder (<c>file-watch</c>).</summary>
    FileWatch,
    /// <summary>The instrument sends spectra over a serial port (<c>serial</c>).</summary>
    Serial,
}

/// <summary>How to capture from one kind of instrument: the adapter and its settings, loaded from <c>device-profiles/*.json</c>.</summary>
public sealed record DeviceProfile
{
    /// <summary>Profile name: the file name without <c>.json</c>.</summary>
    public required string Name { get; init; }

    /// <summary>File the profile was loaded from.</summary>
    public required string File { get; init; }

    /// <summary>What the profile is for.</summary>
    public required string Description { get; init; }

    /// <summary>Adapter kind.</summary>
    public required AdapterKind Adapter { get; init; }

    /// <summary>File-watch settings; set when <see cref="Adapter"/> is <see cref="AdapterKind.FileWatch"/>.</summary>
    public FileWatchProfile? FileWatch { get; init; }

    /// <summary>Serial settings; set when <see cref="Adapter"/> is <see cref="AdapterKind.Serial"/>.</summary>
    public SerialProfile? Serial { get; init; }

    private static readonly Dictionary<string, AdapterKind> AdapterNames = new() { ["file-watch"] = AdapterKind.FileWatch, ["serial"] = AdapterKind.Serial };

    /// <summary>Loads and validates one profile; throws <see cref="DeviceProfileException"/> naming the file and key.</summary>
    public static DeviceProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DeviceProfileException(path, "", $"cannot be read: {ex.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates profile JSON; <paramref name="file"/> names it in errors and gives <see cref="Name"/>.</summary>
    public static DeviceProfile Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new DeviceProfileException(file, "", $"is not valid JSON: line {ex.LineNumber + 1}: {ex.Message}");
        }
        using (document)
        {
            var root = new ProfileSection(file, "", document.RootElement);
            root.Ignore("$schema");
            var adapter = root.Enum("adapter", AdapterNames);
            var profile = new DeviceProfile
            {
                Name = Path.GetFileNameWithoutExtension(file),
                File = file,
                Description = root.RequiredString("description"),
                Adapter = adapter,
                FileWatch = adapter == AdapterKind.FileWatch ? FileWatchProfile.Read(root.RequiredSection("fileWatch")) : null,
                Serial = adapter == AdapterKind.Serial ? SerialProfile.Read(root.RequiredSection("serial")) : null,
            };
            root.EndObject();
            return profile;
        }
    }
}

/// <summary>Loads every profile of a folder.</summary>
public static class DeviceProfiles
{
    /// <summary>Loads every <c>*.json</c> in <paramref name="directory"/>, by name; the first broken file stops it with a <see cref="DeviceProfileException"/>.</summary>
    public static IReadOnlyDictionary<string, DeviceProfile> LoadAll(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Device profile folder '{directory}' does not exist.");
        var profiles = new SortedDictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var profile = DeviceProfile.Load(file);
            profiles.Add(profile.Name, profile);
        }
        return profiles;
    }
}

/// <summary>Which files of a watched folder are instrument files.</summary>
public sealed record FileWatchProfile
{
    /// <summary>Include globs relative to the watched folder (<c>*.0</c>, <c>**/*.jdx</c>).</summary>
    public required IReadOnlyList<string> Include { get; init; }

    /// <summary>Exclude globs.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>How long size and write time must stay unchanged before a file counts as complete; null keeps the configured value.</summary>
    public TimeSpan? StableFor { get; init; }

    internal static FileWatchProfile Read(ProfileSection s)
    {
        var include = s.Strings("include");
        if (include.Count == 0) throw s.Error("include", "is required: at least one glob");
        var profile = new FileWatchProfile { Include = include, Exclude = s.Strings("exclude"), StableFor = s.OptionalDuration("stableFor") };
        s.EndObject();
        return profile;
    }
}

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

    internal static SerialProfile Read(ProfileSection s)
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

/// <summary>What each ASCII data line holds.</summary>
public enum AsciiData
{
    /// <summary><c>x,y</c> pairs (<c>xy</c>).</summary>
    XY,
    /// <summary>y only; x comes from the profile's axis (<c>y</c>).</summary>
    Y,
}

/// <summary>How an ASCII frame proves it arrived whole.</summary>
public enum AsciiChecksum
{
    /// <summary>No checksum line.</summary>
    None,
    /// <summary>CRC-32 (IEEE 802.3) of the data lines, each followed by one LF, as 8 hex digits.</summary>
    Crc32,
    /// <summary>Sum of the y values, compared with a relative tolerance of 1e-9.</summary>
    Sum,
}

/// <summary>Settings of the <c>ascii-lines</c> protocol.</summary>
public sealed record AsciiLinesProfile
{
    /// <summary>Line that starts a frame.</summary>
    public required string StartMarker { get; init; }

    /// <summary>Line that ends a frame.</summary>
    public required string EndMarker { get; init; }

    /// <summary>Separator between x and y.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>What data lines hold.</summary>
    public AsciiData Data { get; init; } = AsciiData.XY;

    /// <summary>Checksum line kind.</summary>
    public AsciiChecksum Checksum { get; init; } = AsciiChecksum.None;

    /// <summary>Key of the checksum line (<c>CHECKSUM=…</c>).</summary>
    public string ChecksumKey { get; init; } = "CHECKSUM";

    /// <summary>Header keys mapped to metadata fields (<c>sampleName</c>, <c>instrument</c>, <c>acquiredUtc</c>, <c>resolution</c>); other keys become parameters.</summary>
    public IReadOnlyDictionary<string, string> Header { get; init; } = new Dictionary<string, string>();

    /// <summary>Line ending the simulator writes (the reader accepts LF and CRLF).</summary>
    public string NewLine { get; init; } = "\r\n";

    /// <summary>Metadata fields a header key can map to.</summary>
    public static IReadOnlyList<string> MetadataFields { get; } = ["sampleName", "instrument", "acquiredUtc", "resolution"];

    private static readonly Dictionary<string, AsciiData> DataNames = new() { ["xy"] = AsciiData.XY, ["y"] = AsciiData.Y };
    private static readonly Dictionary<string, AsciiChecksum> ChecksumNames = new() { ["none"] = AsciiChecksum.None, ["crc32"] = AsciiChecksum.Crc32, ["sum"] = AsciiChecksum.Sum };

    internal static AsciiLinesProfile Read(ProfileSection s)
    {
        var separator = s.OptionalString("separator") ?? ",";
        if (separator.Length != 1 || char.IsDigit(separator[0]) || separator[0] is '.' or '-' or '+' or '=')
            throw s.Error("separator", $"must be one character that cannot be part of a number (got \"{separator}\")");
        var header = s.StringMap("header");
        foreach (var (key, field) in header)
            if (!MetadataFields.Contains(field))
                throw s.Error($"header.{key}", $"must be one of {string.Join(", ", MetadataFields.Select(f => $"\"{f}\""))} (got \"{field}\")");
        var profile = new AsciiLinesProfile
        {
            StartMarker = s.RequiredString("startMarker"),
            EndMarker = s.RequiredString("endMarker"),
            Separator = separator[0],
            Data = s.Enum("data", DataNames, AsciiData.XY),
            Checksum = s.Enum("checksum", ChecksumNames, AsciiChecksum.None),
            ChecksumKey = s.OptionalString("checksumKey") ?? "CHECKSUM",
            Header = header,
            NewLine = s.OptionalString("newLine") ?? "\r\n",
        };
        if (profile.StartMarker == profile.EndMarker) throw s.Error("endMarker", "must differ from startMarker");
        if (profile.NewLine is not ("\n" or "\r\n")) throw s.Error("newLine", "must be \"\\n\" or \"\\r\\n\"");
        s.EndObject();
        return profile;
    }
}

/// <summary>Numeric type of binary payload values.</summary>
public enum BinaryValueType
{
    /// <summary>IEEE 754 single (<c>float32</c>).</summary>
    Float32,
    /// <summary>Signed 32-bit integer (<c>int32</c>).</summary>
    Int32,
    /// <summary>Unsigned 16-bit integer (<c>uint16</c>).</summary>
    UInt16,
}

/// <summary>Checksum closing a binary frame.</summary>
public enum FrameCrc
{
    /// <summary>No checksum.</summary>
    None,
    /// <summary>CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), 2 bytes (<c>crc16-ccitt</c>).</summary>
    Crc16Ccitt,
    /// <summary>CRC-32 (IEEE 802.3), 4 bytes (<c>crc32</c>).</summary>
    Crc32,
}

/// <summary>Settings of the <c>binary-frames</c> protocol: <c>[sync][length][payload][crc]</c>.</summary>
public sealed record BinaryFramesProfile
{
    /// <summary>Bytes that start every frame.</summary>
    public required byte[] Sync { get; init; }

    /// <summary>Size of the length field in bytes (2 or 4); it counts payload bytes.</summary>
    public int LengthBytes { get; init; } = 2;

    /// <summary>Whether multi-byte fields (length, values, CRC) are big-endian.</summary>
    public bool BigEndian { get; init; }

    /// <summary>Type of each payload value.</summary>
    public BinaryValueType ValueType { get; init; } = BinaryValueType.Float32;

    /// <summary>y = raw value × scale.</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Checksum over the length field and payload.</summary>
    public FrameCrc Crc { get; init; } = FrameCrc.Crc16Ccitt;

    /// <summary>Largest accepted payload in values, so garbage cannot claim a huge frame.</summary>
    public int MaxPoints { get; init; } = 65536;

    /// <summary>Bytes per payload value.</summary>
    public int ValueSize => ValueType == BinaryValueType.UInt16 ? 2 : 4;

    /// <summary>Bytes of the checksum.</summary>
    public int CrcSize => Crc switch { FrameCrc.Crc16Ccitt => 2, FrameCrc.Crc32 => 4, _ => 0 };

    private static readonly Dictionary<string, BinaryValueType> ValueNames = new() { ["float32"] = BinaryValueType.Float32, ["int32"] = BinaryValueType.Int32, ["uint16"] = BinaryValueType.UInt16 };
    private static readonly Dictionary<string, FrameCrc> CrcNames = new() { ["none"] = FrameCrc.None, ["crc16-ccitt"] = FrameCrc.Crc16Ccitt, ["crc32"] = FrameCrc.Crc32 };
    private static readonly Dictionary<string, bool> EndianNames = new() { ["little"] = false, ["big"] = true };
    private static readonly Dictionary<string, int> LengthNames = new() { ["uint16"] = 2, ["uint32"] = 4 };

    internal static BinaryFramesProfile Read(ProfileSection s)
    {
        var syncText = s.RequiredString("sync");
        byte[] sync;
        try { sync = Convert.FromHexString(syncText); }
        catch (FormatException) { throw s.Error("sync", $"must be hex bytes such as \"AA55\" (got \"{syncText}\")"); }
        if (sync.Length is < 1 or > 8) throw s.Error("sync", $"must be 1 to 8 bytes (got {sync.Length})");
        var profile = new BinaryFramesProfile
        {
            Sync = sync,
            LengthBytes = s.Enum("lengthField", LengthNames, 2),
            BigEndian = s.Enum("endian", EndianNames, false),
            ValueType = s.Enum("valueType", ValueNames, BinaryValueType.Float32),
            Scale = s.Double("scale", 1.0),
            Crc = s.Enum("crc", CrcNames, FrameCrc.Crc16Ccitt),
            MaxPoints = s.Int("maxPoints", 65536, 2, 1 << 20),
        };
        if (profile.Scale == 0) throw s.Error("scale", "must not be zero");
        s.EndObject();
        return profile;
    }
}
