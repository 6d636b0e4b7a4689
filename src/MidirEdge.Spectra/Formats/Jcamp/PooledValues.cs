using System.Buffers;
using System.Numerics;

namespace MidirEdge.Spectra.Formats.Jcamp;

/// <summary>
/// A growing run of decoded values in an array rented from the shared pool. How many values a table holds is known
/// only once it is decoded (DUP counts, tables without ##NPOINTS), so its values grow here and the only array a read
/// allocates for them is the exact, scaled copy its spectrum keeps.
/// </summary>
internal struct PooledValues : IDisposable
{
    private double[]? _values;

    /// <summary>Rents room for at least <paramref name="capacity"/> values.</summary>
    public PooledValues(int capacity) => _values = ArrayPool<double>.Shared.Rent(Math.Max(1, capacity));

    /// <summary>How many values fit before the next <see cref="Grow"/>.</summary>
    public readonly int Capacity => _values!.Length;

    /// <summary>All the room rented so far, <see cref="Capacity"/> values.</summary>
    public readonly Span<double> Values => _values;

    /// <summary>The value at <paramref name="index"/>, which must be less than <see cref="Capacity"/>.</summary>
    public readonly ref double this[int index] => ref _values![index];

    /// <summary>Moves the first <paramref name="count"/> values to a rented array of at least <paramref name="capacity"/> values.</summary>
    public void Grow(int count, int capacity)
    {
        var larger = ArrayPool<double>.Shared.Rent(capacity);
        _values.AsSpan(0, count).CopyTo(larger);
        ArrayPool<double>.Shared.Return(_values!);
        _values = larger;
    }

    /// <summary>A new array of the first <paramref name="count"/> values, each times <paramref name="factor"/>.</summary>
    public readonly double[] ToArray(int count, double factor)
    {
        var values = _values.AsSpan(0, count);
        // Every element is written below, so the array need not be cleared first (large ones are not cheap to clear).
        var copy = GC.AllocateUninitializedArray<double>(count);
        // Each lane is the same IEEE product as the scalar one, so the vectors change no bit of the result.
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<double>(factor);
            for (; i <= count - Vector<double>.Count; i += Vector<double>.Count)
                (new Vector<double>(values[i..]) * scale).CopyTo(copy.AsSpan(i));
        }
        for (; i < count; i++) copy[i] = values[i] * factor;
        return copy;
    }

    /// <summary>Gives the rented array back to the pool.</summary>
    public void Dispose()
    {
        if (_values is null) return;
        ArrayPool<double>.Shared.Return(_values);
        _values = null;
    }
}
