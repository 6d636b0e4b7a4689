namespace MidirEdge.Scattering;

/// <summary>Scratch buffers for transforming one signal; one per concurrently running transform.</summary>
internal sealed class ScatteringWorkspace
{
    public ScatteringWorkspace(int paddedLength, int signalLength)
    {
        Padded = new double[paddedLength];
        U0Re = new double[paddedLength];
        U0Im = new double[paddedLength];
        WorkRe = new double[paddedLength];
        WorkIm = new double[paddedLength];
        U1Re = new double[paddedLength];
        U1Im = new double[paddedLength];
        U2Re = new double[paddedLength];
        U2Im = new double[paddedLength];
        LowRe = new double[paddedLength / 2 + 1];
        LowIm = new double[paddedLength / 2 + 1];
        Signal = new double[signalLength];
        Output = [];
    }

    public double[] Padded { get; }
    public double[] U0Re { get; }
    public double[] U0Im { get; }
    public double[] WorkRe { get; }
    public double[] WorkIm { get; }
    public double[] U1Re { get; }
    public double[] U1Im { get; }
    public double[] U2Re { get; }
    public double[] U2Im { get; }
    public double[] LowRe { get; }
    public double[] LowIm { get; }

    /// <summary>Double copy of a float32 input.</summary>
    public double[] Signal { get; }

    /// <summary>Double output staging for float32 callers (sized on first use).</summary>
    public double[] Output { get; set; }
}
