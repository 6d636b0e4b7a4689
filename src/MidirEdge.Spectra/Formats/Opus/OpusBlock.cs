using System.Collections.Immutable;

namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>One block of an OPUS file, as its directory entry describes it.</summary>
public abstract class OpusBlock
{
    private protected OpusBlock(string name, byte blockType, byte channelType, byte textType, byte additionalType, int offset, int length)
    {
        Name = name;
        BlockType = blockType;
        ChannelType = channelType;
        TextType = textType;
        AdditionalType = additionalType;
        Offset = offset;
        Length = length;
    }

    /// <summary>Block name as opusreader2 names it (<c>ab</c>, <c>sc_sample</c>, <c>optics_ref</c>, …).</summary>
    public string Name { get; }

    /// <summary>Block type code (first byte of the directory entry's type).</summary>
    public byte BlockType { get; }

    /// <summary>Channel type code (second byte).</summary>
    public byte ChannelType { get; }

    /// <summary>Text type code (third byte).</summary>
    public byte TextType { get; }

    /// <summary>Additional type code (fourth byte; 64 marks blocks without atmospheric compensation).</summary>
    public byte AdditionalType { get; }

    /// <summary>Byte offset of the block in the file.</summary>
    public int Offset { get; }

    /// <summary>Length of the block in bytes.</summary>
    public int Length { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (b{BlockType}-c{ChannelType}-t{TextType}-a{AdditionalType} at {Offset})";
}

/// <summary>A data block: one spectrum, interferogram or phase curve.</summary>
public sealed class OpusDataBlock : OpusBlock
{
    internal OpusDataBlock(string name, byte blockType, byte channelType, byte textType, byte additionalType, int offset, int length, Spectrum spectrum)
        : base(name, blockType, channelType, textType, additionalType, offset, length) => Spectrum = spectrum;

    /// <summary>The block's values with x from FXV/LXV/NPT and y scaled by CSF.</summary>
    public Spectrum Spectrum { get; }
}

/// <summary>A parameter block: three-letter codes with typed values, in file order.</summary>
public sealed class OpusParameterBlock : OpusBlock
{
    internal OpusParameterBlock(string name, byte blockType, byte channelType, byte textType, byte additionalType, int offset, int length, ImmutableArray<OpusParameter> parameters)
        : base(name, blockType, channelType, textType, additionalType, offset, length) => Parameters = parameters;

    /// <summary>The parameters in the order the file stores them.</summary>
    public ImmutableArray<OpusParameter> Parameters { get; }

    /// <summary>Finds the first parameter with the given three-letter code.</summary>
    public bool TryGetValue(string code, out object value)
    {
        foreach (var parameter in Parameters.AsSpan())
        {
            if (parameter.Code == code)
            {
                value = parameter.Value;
                return true;
            }
        }
        value = null!;
        return false;
    }
}

/// <summary>A text block (history, free text, signature, …).</summary>
public sealed class OpusTextBlock : OpusBlock
{
    internal OpusTextBlock(string name, byte blockType, byte channelType, byte textType, byte additionalType, int offset, int length, string text)
        : base(name, blockType, channelType, textType, additionalType, offset, length) => Text = text;

    /// <summary>The block's text; the NUL-separated pieces are joined with line breaks.</summary>
    public string Text { get; }
}

/// <summary>One OPUS parameter: a three-letter code and a <see cref="long"/>, <see cref="double"/> or <see cref="string"/> value.</summary>
/// <param name="Code">Three-letter code such as <c>NPT</c>, <c>FXV</c> or <c>SNM</c>.</param>
/// <param name="Value">The value: <see cref="long"/>, <see cref="double"/> or <see cref="string"/>.</param>
public readonly record struct OpusParameter(string Code, object Value);
