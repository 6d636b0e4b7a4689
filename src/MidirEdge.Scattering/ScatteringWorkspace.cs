using System.Numerics;
using MidirEdge.Scattering.Fourier;

namespace MidirEdge.Scattering;

/// <summary>Scratch buffers (64-byte aligned) for transforming one signal; one per concurrently running transform.</summary>
internal sealed class ScatteringWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AlignedBuffer<T> _padded;
    private readonly AlignedBuffer<T> _u0Re;
    private readonly AlignedBuffer<T> _u0Im;
    private readonly AlignedBuffer<T> _workRe;
    private readonly AlignedBuffer<T> _workIm;
    private readonly AlignedBuffer<T> _u1Re;
    private readonly AlignedBuffer<T> _u1Im;
    private readonly AlignedBuffer<T> _u2Re;
    private readonly AlignedBuffer<T> _u2Im;
    private readonly AlignedBuffer<T> _lowRe;
    private readonly AlignedBuffer<T> _lowIm;
    private readonly AlignedBuffer<double> _wide;
    private readonly AlignedBuffer<double> _wideRe;
    private readonly AlignedBuffer<double> _wideIm;

    public ScatteringWorkspace(int paddedLength)
    {
        _padded = new AlignedBuffer<T>(paddedLength);
        _u0Re = new AlignedBuffer<T>(paddedLength);
        _u0Im = new AlignedBuffer<T>(paddedLength);
        _workRe = new AlignedBuffer<T>(paddedLength);
        _workIm = new AlignedBuffer<T>(paddedLength);
        _u1Re = new AlignedBuffer<T>(paddedLength);
        _u1Im = new AlignedBuffer<T>(paddedLength);
        _u2Re = new AlignedBuffer<T>(paddedLength);
        _u2Im = new AlignedBuffer<T>(paddedLength);
        _lowRe = new AlignedBuffer<T>(paddedLength / 2 + 1);
        _lowIm = new AlignedBuffer<T>(paddedLength / 2 + 1);
        var wide = typeof(T) == typeof(double) ? 0 : paddedLength;
        _wide = new AlignedBuffer<double>(wide);
        _wideRe = new AlignedBuffer<double>(wide);
        _wideIm = new AlignedBuffer<double>(wide);
    }

    public Span<T> Padded => _padded.Span;
    public Span<T> U0Re => _u0Re.Span;
    public Span<T> U0Im => _u0Im.Span;
    public Span<T> WorkRe => _workRe.Span;
    public Span<T> WorkIm => _workIm.Span;
    public Span<T> U1Re => _u1Re.Span;
    public Span<T> U1Im => _u1Im.Span;
    public Span<T> U2Re => _u2Re.Span;
    public Span<T> U2Im => _u2Im.Span;
    public Span<T> LowRe => _lowRe.Span;
    public Span<T> LowIm => _lowIm.Span;

    /// <summary>Double-precision padded signal and spectrum for a float transform (empty for double).</summary>
    public Span<double> Wide => _wide.Span;
    public Span<double> WideRe => _wideRe.Span;
    public Span<double> WideIm => _wideIm.Span;
}
