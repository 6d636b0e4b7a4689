namespace MidirEdge.Models.Pls;

/// <summary>The algorithm used to extract PLS components; all three give the same model up to round-off for one response.</summary>
public enum PlsAlgorithm
{
    /// <summary>Improved kernel algorithm #1 of Dayal &amp; MacGregor (1997), R pls "kernelpls"; fast for many rows.</summary>
    Kernel,

    /// <summary>De Jong's SIMPLS (1993), R pls "simpls".</summary>
    Simpls,

    /// <summary>NIPALS with orthogonal scores (Martens &amp; Næs), R pls "oscorespls".</summary>
    Nipals,
}
