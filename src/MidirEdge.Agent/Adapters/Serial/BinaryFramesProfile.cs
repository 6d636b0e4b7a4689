using MidirEdge.Agent.Profiles;

namespace MidirEdge.Agent.Adapters.Serial;

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
