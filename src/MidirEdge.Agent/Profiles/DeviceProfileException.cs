namespace MidirEdge.Agent.Profiles;

/// <summary>A device profile is broken; names the file, the key and what is wrong.</summary>
public sealed class DeviceProfileException(string file, string key, string reason)
    : Exception(key.Length == 0 ? $"{file}: {reason}" : $"{file}: {key}: {reason}")
{
    /// <summary>Profile file.</summary>
    public string File { get; } = file;

    /// <summary>JSON path of the offending key (e.g. <c>serial.baudRate</c>), empty for the whole file.</summary>
    public string Key { get; } = key;

    /// <summary>What is wrong.</summary>
    public string Reason { get; } = reason;
}
