using System.Security.Cryptography;

namespace MidirEdge.Models.Bundles;

/// <summary>Which signatures a model store accepts: trusted ECDSA P-256 public keys, and whether a signature is required.</summary>
public sealed class BundleTrust
{
    /// <summary>Accepts unsigned bundles and verifies no signatures.</summary>
    public static BundleTrust None { get; } = new([], requireSignature: false);

    private readonly ECDsa[] _keys;

    /// <summary>Creates a trust policy from public keys.</summary>
    public BundleTrust(IReadOnlyList<ECDsa> keys, bool requireSignature)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (requireSignature && keys.Count == 0)
            throw new ArgumentException("a signature can only be required when at least one trusted key is given.", nameof(keys));
        _keys = [.. keys];
        RequireSignature = requireSignature;
    }

    /// <summary>Trust policy from PEM-encoded public keys (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public static BundleTrust FromPem(IEnumerable<string> pemKeys, bool requireSignature)
    {
        var keys = new List<ECDsa>();
        foreach (var pem in pemKeys)
        {
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (key.KeySize != 256) throw new ArgumentException($"trusted keys must be ECDSA P-256; one has {key.KeySize} bits.", nameof(pemKeys));
            keys.Add(key);
        }
        return new BundleTrust(keys, requireSignature);
    }

    /// <summary>True when every bundle must carry a valid signature.</summary>
    public bool RequireSignature { get; }

    /// <summary>True when any trusted key is configured.</summary>
    public bool HasKeys => _keys.Length > 0;

    /// <summary>True when <paramref name="signature"/> (IEEE P1363, r‖s) over <paramref name="manifest"/> verifies with a trusted key.</summary>
    public bool Verifies(ReadOnlySpan<byte> manifest, ReadOnlySpan<byte> signature)
    {
        foreach (var key in _keys)
            if (key.VerifyData(manifest, signature, HashAlgorithmName.SHA256)) return true;
        return false;
    }
}
