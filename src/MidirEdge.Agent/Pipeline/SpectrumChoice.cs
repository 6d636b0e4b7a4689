using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;
using MidirEdge.Spectra.Json;

namespace MidirEdge.Agent.Pipeline;

/// <summary>Picks the spectrum of a file that models should see: the OPUS <c>ab</c> block, else the first of the models' y kind.</summary>
public static class SpectrumChoice
{
    /// <summary>The spectrum the active bundles should see; the first spectrum when no bundle is loaded.</summary>
    public static Spectrum For(IReadOnlyCollection<ModelBundle> bundles, SpectrumFileContent content)
    {
        if (content.Spectra.Count == 0) throw new SpectrumFormatException(content.File, "the file holds no spectrum");
        return bundles.Count == 0 ? content.Spectra.FirstOrDefault(s => s.Metadata.Block == "ab") ?? content.Spectra[0] : For(bundles.First(), content);
    }

    /// <summary>The spectrum of <paramref name="content"/> that <paramref name="bundle"/> reads: its y kind, the OPUS <c>ab</c> block first.</summary>
    public static Spectrum For(ModelBundle bundle, SpectrumFileContent content)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(content);
        var kind = bundle.Contract.YKind;
        return content.Spectra.FirstOrDefault(s => s.Metadata.Block == "ab" && s.YKind == kind)
            ?? content.Spectra.FirstOrDefault(s => s.YKind == kind)
            ?? throw new SpectrumFormatException(content.File,
                $"no {SpectrumJson.Name(kind)} spectrum among its {content.Spectra.Count} spectra ({string.Join(", ", content.Spectra.Select(s => SpectrumJson.Name(s.YKind)).Distinct())})");
    }
}
