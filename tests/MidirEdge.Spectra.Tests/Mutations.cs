using System.Buffers;
using System.Globalization;
using System.Text;
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

    /// <summary>
    /// Runs <paramref name="read"/> on every mutant; any exception other than <see cref="SpectrumFormatException"/> fails,
    /// and so does a format error whose message or reason is not one printable line of bounded length.
    /// </summary>
    public static void AssertOnlyFormatErrors(string file, byte[] original, Action<byte[]> read, int count = 1000, int seed = 20261124)
    {
        var index = 0;
        foreach (var mutant in Of(original, count, seed))
        {
            try
            {
                read(mutant);
            }
            catch (SpectrumFormatException ex)
            {
                AssertOnePrintableLine($"{file}, mutant {index}", ex.Message);
                AssertOnePrintableLine($"{file}, mutant {index}", ex.Reason);
            }
            catch (Exception ex)
            {
                Assert.Fail($"{file}, mutant {index} ({mutant.Length} bytes): {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
            index++;
        }
    }

    /// <summary>Fails unless <paramref name="message"/> is one line of printable characters, at most <see cref="SpectrumFormatException.MaxMessageLength"/> long.</summary>
    public static void AssertOnePrintableLine(string what, string message)
    {
        Assert.True(message.Length <= SpectrumFormatException.MaxMessageLength, $"{what}: a message of {message.Length} characters");
        var rest = message.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                Assert.Fail($"{what}: U+{(int)rest[0]:X4} at {message.Length - rest.Length} in a message of {message.Length} characters");
            rest = rest[used..];
        }
    }
}
