using System.Runtime.InteropServices;

namespace MidirEdge.Scattering.Fourier;

/// <summary>
/// A fixed-length buffer whose first element sits on a 64-byte boundary, so that vector loads of whole vectors never
/// straddle cache lines (a 512-bit load from an array's usual 16-byte alignment always does; measured ~15% of a
/// spectrum's time). Backed by a pinned array, which the garbage collector never moves.
/// </summary>
internal sealed class AlignedBuffer<T> where T : unmanaged
{
    private const int Alignment = 64;
    private readonly T[] _array;
    private readonly int _offset;

    public AlignedBuffer(int length)
    {
        var size = Marshal.SizeOf<T>();
        _array = GC.AllocateArray<T>(length + Alignment / size, pinned: true);
        var misalignment = (int)(Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0) % Alignment);
        _offset = misalignment == 0 ? 0 : (Alignment - misalignment) / size;
        Length = length;
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements.</summary>
    public Span<T> Span => _array.AsSpan(_offset, Length);

    /// <summary>The first element.</summary>
    public ref T Reference => ref _array[_offset];
}
