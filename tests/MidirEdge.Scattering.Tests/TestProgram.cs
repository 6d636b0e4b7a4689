using System.Globalization;

namespace MidirEdge.Scattering.Tests;

/// <summary>
/// Entry point of the test assembly when run as a child process (<c>dotnet exec MidirEdge.Scattering.Tests.dll worst-error FIXTURE</c>):
/// prints the largest error of the fixture's coefficients relative to their path's largest reference value.
/// </summary>
public static class TestProgram
{
    /// <summary>The mode that prints the worst relative error of a Kymatio reference case.</summary>
    public const string WorstError = "worst-error";

    /// <summary>Runs the mode named by the first argument.</summary>
    public static int Main(string[] args)
    {
        if (args is not [WorstError, var fixture])
        {
            Console.Error.WriteLine("usage: worst-error FIXTURE");
            return 2;
        }
        var reference = KymatioReference.Load(fixture);
        var scattering = new Scattering1D(reference.Parameters);
        var worst = 0.0;
        for (var s = 0; s < reference.Inputs.Length; s++)
        {
            var actual = scattering.Transform(reference.Inputs[s]);
            for (var row = 0; row < reference.Outputs[s].Length; row++)
            {
                var expected = reference.Outputs[s][row];
                var max = expected.Max(Math.Abs);
                for (var t = 0; t < scattering.TimeLength; t++)
                    worst = Math.Max(worst, Math.Abs(actual[row * scattering.TimeLength + t] - expected[t]) / max);
            }
        }
        Console.Write(worst.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }
}
