using System.Buffers;
using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>
/// A spectrum's parameters: the values of its data-parameter block laid over those of its channel. Nothing is merged until
/// the parameters are first read (most reads never look at them); then each layer becomes an array sorted by code (ordinal)
/// with one entry per code, so a look-up is two binary searches and enumeration, in code order, merges the two. The
/// channel's layer is shared by every spectrum of the channel.
/// </summary>
internal sealed class OpusParameterMap : IReadOnlyDictionary<string, object>
{
    private readonly OpusParameterBlock _own;
    private readonly Channel _channel;
    private Layers? _layers;

    /// <param name="own">The data-parameter block, whose values win over the channel's.</param>
    /// <param name="channel">The channel's blocks, shared by its spectra.</param>
    public OpusParameterMap(OpusParameterBlock own, Channel channel)
    {
        _own = own;
        _channel = channel;
    }

    /// <inheritdoc />
    public int Count => Built.Count;

    /// <inheritdoc />
    public object this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The given key '{key}' was not present in the dictionary.");

    /// <inheritdoc />
    public IEnumerable<string> Keys => this.Select(static parameter => parameter.Key);

    /// <inheritdoc />
    public IEnumerable<object> Values => this.Select(static parameter => parameter.Value);

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (own, channel, _) = Built;
        var at = IndexOf(own, key);
        if (at >= 0)
        {
            value = own[at].Value;
            return true;
        }
        at = IndexOf(channel, key);
        value = at >= 0 ? channel[at].Value : null;
        return at >= 0;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        var (own, channel, _) = Built;
        int i = 0, j = 0;
        while (i < own.Length || j < channel.Length)
        {
            var order = i == own.Length ? 1 : j == channel.Length ? -1 : string.CompareOrdinal(own[i].Key, channel[j].Key);
            if (order == 0) j++;
            yield return order <= 0 ? own[i++] : channel[j++];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The layers, merged on first use; threads that race here build equal layers and all keep the first published.</summary>
    private Layers Built => Volatile.Read(ref _layers) ?? Build();

    private Layers Build()
    {
        var own = Layer([_own]);
        var channel = _channel.Layer;
        var shadowed = 0;
        for (int i = 0, j = 0; i < own.Length && j < channel.Length;)
        {
            var order = string.CompareOrdinal(own[i].Key, channel[j].Key);
            if (order <= 0) i++;
            if (order >= 0) j++;
            if (order == 0) shadowed++;
        }
        var layers = new Layers(own, channel, own.Length + channel.Length - shadowed);
        return Interlocked.CompareExchange(ref _layers, layers, null) ?? layers;
    }

    /// <summary>
    /// The values of <paramref name="blocks"/> sorted by code, one per code: the first block holding a code wins, and within
    /// a block the first entry. Codes are sorted by their characters packed into one number (they are at most four characters
    /// long, none of them NUL), which orders them as <see cref="string.CompareOrdinal(string, string)"/> does.
    /// </summary>
    public static KeyValuePair<string, object>[] Layer(ReadOnlySpan<OpusParameterBlock?> blocks)
    {
        var total = 0;
        foreach (var block in blocks)
            if (block is not null) total += block.Parameters.Length;
        if (total == 0) return [];

        var keys = ArrayPool<ulong>.Shared.Rent(total);
        var positions = ArrayPool<int>.Shared.Rent(total);
        var parameters = ArrayPool<OpusParameter>.Shared.Rent(total);
        try
        {
            var n = 0;
            foreach (var block in blocks)
            {
                if (block is null) continue;
                foreach (var parameter in block.Parameters.AsSpan())
                {
                    keys[n] = Pack(parameter.Code);
                    positions[n] = n;
                    parameters[n++] = parameter;
                }
            }
            var sortedKeys = keys.AsSpan(0, n);
            var sortedPositions = positions.AsSpan(0, n);
            sortedKeys.Sort(sortedPositions);

            var unique = 1;
            for (var i = 1; i < n; i++)
                if (sortedKeys[i] != sortedKeys[i - 1]) unique++;
            var layer = new KeyValuePair<string, object>[unique];
            for (int i = 0, k = 0; i < n; k++)
            {
                // The sort is not stable: of a run of equal codes, the one met first wins.
                var first = sortedPositions[i];
                for (i++; i < n && sortedKeys[i] == sortedKeys[i - 1]; i++)
                    first = Math.Min(first, sortedPositions[i]);
                layer[k] = new(parameters[first].Code, parameters[first].Value);
            }
            return layer;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(positions);
            ArrayPool<OpusParameter>.Shared.Return(parameters, clearArray: true);
        }
    }

    /// <summary>The first four characters of <paramref name="code"/>, the first in the highest 16 bits, zero past its end.</summary>
    private static ulong Pack(string code)
    {
        Debug.Assert(code.Length <= 4, "OPUS codes are read from four bytes");
        ulong key = 0;
        for (var i = 0; i < 4; i++)
            key = key << 16 | (i < code.Length ? code[i] : 0u);
        return key;
    }

    private static int IndexOf(KeyValuePair<string, object>[] layer, string key)
    {
        int low = 0, high = layer.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var order = string.CompareOrdinal(layer[middle].Key, key);
            if (order == 0) return middle;
            if (order < 0) low = middle + 1;
            else high = middle - 1;
        }
        return -1;
    }

    private sealed record Layers(KeyValuePair<string, object>[] Own, KeyValuePair<string, object>[] Channel, int Count);

    /// <summary>
    /// The parameter blocks of one measurement channel in the order they win (sample, instrument, optics, acquisition,
    /// fourier_transformation, or the *_ref ones; absent blocks are null), merged into one layer on first use.
    /// </summary>
    internal sealed class Channel(OpusParameterBlock?[] blocks)
    {
        private KeyValuePair<string, object>[]? _layer;

        /// <summary>The channel's values sorted by code, one per code, the first block holding a code winning.</summary>
        public KeyValuePair<string, object>[] Layer
        {
            get
            {
                var layer = Volatile.Read(ref _layer);
                if (layer is not null) return layer;
                layer = OpusParameterMap.Layer(blocks);
                return Interlocked.CompareExchange(ref _layer, layer, null) ?? layer;
            }
        }
    }
}
