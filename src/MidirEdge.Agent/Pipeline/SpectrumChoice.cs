using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;
using MidirEdge.Spectra.Json;

namespace MidirEdge.Agent.Pipeline;

/// <summary>Picks the spectrum of a file that a bundle should see: the OPUS <c>ab</c> block, else the first of the bundle's y kind.</summary>
internal static class SpectrumChoice
{
    public static Spectrum For(ModelBundle bundle, SpectrumFileContent content)
    {
        var kind = bundle.Manifest.Input.YKind;
        return content.Spectra.FirstOrDefault(s => s.Metadata.Block == "ab" && SpectrumJson.Name(s.YKind) == kind)
            ?? content.Spectra.FirstOrDefault(s => SpectrumJson.Name(s.YKind) == kind)
            ?? throw new SpectrumFormatException(content.File,
                $"no {kind} spectrum among its {content.Spectra.Count} spectra ({string.Join(", ", content.Spectra.Select(s => SpectrumJson.Name(s.YKind)).Distinct())})");
    }
}
