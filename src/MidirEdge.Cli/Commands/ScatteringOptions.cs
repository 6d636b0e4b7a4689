using System.CommandLine;
using MidirEdge.Cli.Failures;
using MidirEdge.Scattering;

namespace MidirEdge.Cli.Commands;

/// <summary>The scattering options shared by <c>scatter</c> and <c>bench scatter</c>.</summary>
internal sealed class ScatteringOptions
{
    private readonly Option<int> _j = new("--J") { Description = "Log2 of the largest wavelet scale", Required = true };
    private readonly Option<int> _q = new("--Q") { Description = "First-order wavelets per octave", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _q2 = new("--Q2") { Description = "Second-order wavelets per octave", DefaultValueFactory = _ => 1 };
    private readonly Option<int?> _t = new("--T") { Description = "Width of the low-pass filter (default 2^J)" };
    private readonly Option<int> _maxOrder = new("--max-order") { Description = "Highest scattering order, 1 or 2", DefaultValueFactory = _ => 2 };
    private readonly Option<string> _kymatio = new("--kymatio") { Description = "Kymatio release to reproduce: 0.3 (PyPI 0.3.0) or 0.4 (0.4-dev)", DefaultValueFactory = _ => "0.3" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_j);
        command.Options.Add(_q);
        command.Options.Add(_q2);
        command.Options.Add(_t);
        command.Options.Add(_maxOrder);
        command.Options.Add(_kymatio);
    }

    /// <summary>The Kymatio release --kymatio names; a <see cref="UsageException"/> when it names none.</summary>
    public KymatioVersion ReadVersion(ParseResult result) => result.GetValue(_kymatio) switch
    {
        "0.3" or "0.3.0" => KymatioVersion.V0_3,
        "0.4" or "0.4-dev" or "0.4.0.dev0" => KymatioVersion.V0_4,
        var name => throw new UsageException($"--kymatio must be 0.3 or 0.4 (got '{name}')."),
    };

    /// <summary>The transform for signals of <paramref name="length"/> samples; throws ArgumentException for bad parameters.</summary>
    public Scattering1D Build(ParseResult result, int length, KymatioVersion version) =>
        new(new ScatteringParameters(result.GetValue(_j), length, result.GetValue(_q), result.GetValue(_q2),
            result.GetValue(_t), result.GetValue(_maxOrder), version: version));

    /// <summary>The short release name written to output ("0.3" or "0.4").</summary>
    public static string VersionName(KymatioVersion version) => version == KymatioVersion.V0_4 ? "0.4" : "0.3";
}
