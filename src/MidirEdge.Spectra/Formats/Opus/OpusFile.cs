using System.Collections.Immutable;

namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>The parsed contents of a Bruker OPUS file: data, parameter and text blocks, and one spectrum per data block.</summary>
public sealed class OpusFile
{
    internal OpusFile(
        ImmutableArray<OpusDataBlock> dataBlocks,
        ImmutableArray<OpusParameterBlock> parameterBlocks,
        ImmutableArray<OpusTextBlock> textBlocks,
        ImmutableArray<Spectrum> spectra,
        string? sampleName,
        DateTimeOffset? acquiredUtc,
        DateTimeOffset? savedUtc)
    {
        DataBlocks = dataBlocks;
        ParameterBlocks = parameterBlocks;
        TextBlocks = textBlocks;
        Spectra = spectra;
        SampleName = sampleName;
        AcquiredUtc = acquiredUtc;
        SavedUtc = savedUtc;
    }

    /// <summary>Every data block, in directory order.</summary>
    public ImmutableArray<OpusDataBlock> DataBlocks { get; }

    /// <summary>Every parameter block (including report and info blocks), in directory order.</summary>
    public ImmutableArray<OpusParameterBlock> ParameterBlocks { get; }

    /// <summary>Every text block (history, free text, …), in directory order.</summary>
    public ImmutableArray<OpusTextBlock> TextBlocks { get; }

    /// <summary>One spectrum per data block, in directory order.</summary>
    public ImmutableArray<Spectrum> Spectra { get; }

    /// <summary>Sample name: the SNM parameter of the sample block up to its first ';' (as opusreader2 reports it).</summary>
    public string? SampleName { get; }

    /// <summary>Acquisition time in UTC: DAT and TIM (with its GMT offset) of the first sample-channel data block that has them.</summary>
    public DateTimeOffset? AcquiredUtc { get; }

    /// <summary>Time of the last save recorded in the history block, in UTC (opusreader2's basic_metadata.utc_datetime).</summary>
    public DateTimeOffset? SavedUtc { get; }

    /// <summary>The first data block with the given name, or null.</summary>
    public OpusDataBlock? FindData(string name)
    {
        foreach (var block in DataBlocks)
            if (block.Name == name) return block;
        return null;
    }

    /// <summary>The first parameter block with the given name, or null.</summary>
    public OpusParameterBlock? FindParameters(string name)
    {
        foreach (var block in ParameterBlocks)
            if (block.Name == name) return block;
        return null;
    }
}
