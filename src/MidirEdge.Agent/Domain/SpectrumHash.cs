using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MidirEdge.Spectra;

namespace MidirEdge.Agent.Domain;

/// <summary>Computes the content hash of a spectrum.</summary>
public static class SpectrumHash
{
    /// <summary>Lower-case hex of the first 16 bytes of SHA-256 over the x and y values (little-endian doubles).</summary>
    public static string Compute(Spectrum spectrum)
    {
        ArgumentNullException.ThrowIfNull(spectrum);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes(spectrum.X.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(spectrum.Y.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset().AsSpan(0, 16));
    }
}
