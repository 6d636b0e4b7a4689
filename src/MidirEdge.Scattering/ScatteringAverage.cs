namespace MidirEdge.Scattering;

/// <summary>How scattering paths are averaged in time.</summary>
public enum ScatteringAverage
{
    /// <summary>Low-pass filter of width T, then subsample by the stride (Kymatio's default).</summary>
    Local = 0,

    /// <summary>Sum of each path over the whole padded signal (Kymatio 0.4 <c>T="global"</c>); one value per path.</summary>
    Global = 1,
}
