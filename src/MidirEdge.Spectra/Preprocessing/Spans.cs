namespace MidirEdge.Spectra.Preprocessing;

/// <summary>Argument checks shared by the span-based numerical cores.</summary>
internal static class Spans
{
    public static void RequireSameLength(ReadOnlySpan<double> input, Span<double> result)
    {
        if (input.Length != result.Length)
            throw new ArgumentException($"result has {result.Length} elements but the input has {input.Length}.", nameof(result));
    }
}
