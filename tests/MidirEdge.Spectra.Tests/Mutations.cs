using MidirEdge.Spectra;

namespace MidirEdge.Spectra.Tests;

/// <summary>Seeded truncations and bit flips of real files, for checking that readers fail only with typed errors.</summary>
internal static class Mutations
{
    /// <summary>Yields <paramref name="count"/> mutants of <paramref name="original"/>: half truncations, half 1–8 bit flips.</summary>
    public static IEnumerable<byte[]> Of(byte[] original, int count, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                yield return original.AsSpan(0, random.Next(original.Length)).ToArray();
                continue;
            }
            var mutant = (byte[])original.Clone();
            for (int flips = random.Next(1, 9); flips > 0 && mutant.Length > 0; flips--)
                mutant[random.Next(mutant.Length)] ^= (byte)(1 << random.Next(8));
            yield return mutant;
        }
    }

    /// <summary>Runs <paramref name="read"/> on every mutant; any exception other than <see cref="SpectrumFormatException"/> fails.</summary>
    public static void AssertOnlyFormatErrors(string file, byte[] original, Action<byte[]> read, int count = 1000, int seed = 20261124)
    {
        var index = 0;
        foreach (var mutant in Of(original, count, seed))
        {
            try
            {
                read(mutant);
            }
            catch (SpectrumFormatException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"{file}, mutant {index} ({mutant.Length} bytes): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
            index++;
        }
    }
}
