using System.Numerics;

namespace MidirEdge.Scattering;

/// <summary>Scratch buffers for transforming one signal; one per concurrently running transform.</summary>
internal sealed class ScatteringWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public ScatteringWorkspace(int paddedLength)
    {
        Padded = new T[paddedLength];
        U0Re = new T[paddedLength];
        U0Im = new T[paddedLength];
        WorkRe = new T[paddedLength];
        WorkIm = new T[paddedLength];
        U1Re = new T[paddedLength];
        U1Im = new T[paddedLength];
        U2Re = new T[paddedLength];
        U2Im = new T[paddedLength];
        LowRe = new T[paddedLength / 2 + 1];
        LowIm = new T[paddedLength / 2 + 1];
        var wide = typeof(T) == typeof(double) ? 0 : paddedLength;
        Wide = new double[wide];
        WideRe = new double[wide];
        WideIm = new double[wide];
    }

    public T[] Padded { get; }
    public T[] U0Re { get; }
    public T[] U0Im { get; }
    public T[] WorkRe { get; }
    public T[] WorkIm { get; }
    public T[] U1Re { get; }
    public T[] U1Im { get; }
    public T[] U2Re { get; }
    public T[] U2Im { get; }
    public T[] LowRe { get; }
    public T[] LowIm { get; }

    /// <summary>Double-precision padded signal and spectrum for a float transform (empty for double).</summary>
    public double[] Wide { get; }
    public double[] WideRe { get; }
    public double[] WideIm { get; }
}
