using MidirEdge.Agent.Profiles;

namespace MidirEdge.Agent.Adapters.Serial;

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
