using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MidirEdge.Spectra.Formats.Opus;

/// <summary>Turns data blocks into spectra using the file's parameter blocks; shares x axes and parameter sets between spectra.</summary>
internal sealed class SpectrumContext
{
    private static readonly Channel SampleChannel = new("instrument", "optics", "acquisition", "fourier_transformation");
    private static readonly Channel ReferenceChannel = new("instrument_ref", "optics_ref", "acquisition_ref", "fourier_transformation_ref");

    private readonly string _file;
    private readonly Dictionary<string, OpusParameterBlock> _blocks;
    private readonly List<(int Points, double First, double Last, ImmutableArray<double> X)> _axes;
    private readonly List<(OpusParameterBlock DataParameters, OpusParameterMap Map)> _spectrumParameters;
    private ChannelState? _sampleChannel;
    private ChannelState? _referenceChannel;
    private long _values;

    /// <param name="file">File name for metadata and error messages.</param>
    /// <param name="blocks">The file's parameter blocks in directory order.</param>
    /// <param name="dataBlocks">How many data blocks the file has (at most that many axes).</param>
    public SpectrumContext(string file, ReadOnlySpan<OpusParameterBlock> blocks, int dataBlocks)
    {
        _file = file;
        _axes = new(dataBlocks);
        _spectrumParameters = new(dataBlocks);
        // Sized once: growing it block by block allocated more than it finally holds.
        _blocks = new Dictionary<string, OpusParameterBlock>(blocks.Length, StringComparer.Ordinal);
        foreach (var block in blocks) _blocks.TryAdd(block.Name, block); // the first block of a name wins, as in opusreader2
        if (Find("sample") is { } sample && sample.TryGetValue("SNM", out var snm) && snm is string name)
        {
            var semicolon = name.IndexOf(';');
            SampleName = semicolon < 0 ? name : name[..semicolon];
        }
    }

    /// <summary>SNM up to its first ';'.</summary>
    public string? SampleName { get; }

    /// <summary>DAT/TIM of the first sample-channel data block with a time, seen by <see cref="Create"/>.</summary>
    public DateTimeOffset? FileAcquiredUtc { get; private set; }

    /// <summary>Builds the spectrum of one data block.</summary>
    public Spectrum Create(ReadOnlySpan<byte> block, in OpusReader.Entry entry)
    {
        var parameterName = OpusBlockNames.DataParameters(entry.Name);
        var parameters = Find(parameterName)
            ?? throw OpusReader.Error(_file, $"data block {entry.Name} has no {parameterName} block", entry.Offset);

        var shape = DataValues.Of(parameters);
        var points = RequireInteger(parameters, "NPT", shape.Points);
        if (points <= 0 || points > block.Length / sizeof(float))
            throw OpusReader.Error(_file, $"{parameterName}.NPT = {points} does not fit the {block.Length}-byte {entry.Name} block", parameters.Offset);
        if (points > SpectrumLimits.MaxPoints)
            throw OpusReader.Error(_file, SpectrumLimits.Exceeded($"{parameterName}.NPT = {points}", nameof(SpectrumLimits.MaxPoints), SpectrumLimits.MaxPoints), parameters.Offset);
        var count = (int)points;
        _values += count;
        if (_values > SpectrumLimits.MaxValues)
            throw OpusReader.Error(_file, SpectrumLimits.Exceeded("the number of points of all data blocks", nameof(SpectrumLimits.MaxValues), SpectrumLimits.MaxValues), entry.Offset);
        var first = RequireFinite(parameters, "FXV", shape.First);
        var last = RequireFinite(parameters, "LXV", shape.Last);
        var scale = shape.Scale is null ? 1.0 : RequireFinite(parameters, "CSF", shape.Scale);
        if (shape.Format is { } format && format is not 1L)
            throw OpusReader.Error(_file, $"{parameterName}.DPF = {OneLine.Quote(Convert.ToString(format, CultureInfo.InvariantCulture))}: only 32-bit float data (DPF 1) is supported", parameters.Offset);

        // Every element is written below, so the array need not be cleared first.
        var y = GC.AllocateUninitializedArray<double>(count);
        var values = block[..(count * sizeof(float))];
        if (BitConverter.IsLittleEndian)
        {
            Widen(MemoryMarshal.Cast<byte, float>(values), scale, y);
        }
        else
        {
            for (var i = 0; i < count; i++)
                y[i] = scale * BinaryPrimitives.ReadSingleLittleEndian(values[(i * sizeof(float))..]);
        }

        var reference = OpusBlockNames.IsReferenceChannel(entry.Block);
        var channel = reference
            ? _referenceChannel ??= new ChannelState(this, ReferenceChannel)
            : _sampleChannel ??= new ChannelState(this, SampleChannel);
        var acquiredUtc = AcquiredUtc(parameters, shape.Date, shape.Time);
        if (!reference)
        {
            FileAcquiredUtc ??= acquiredUtc;
            acquiredUtc ??= FileAcquiredUtc; // match blocks carry no DAT/TIM of their own
        }
        var (xUnit, xLabel) = XUnitOf(shape.XUnit);
        var metadata = new SpectrumMetadata
        {
            Block = entry.Name,
            SampleName = SampleName,
            Instrument = channel.Instrument,
            AcquiredUtc = acquiredUtc,
            Resolution = channel.Resolution,
            SourceFile = _file,
            XUnitLabel = xLabel,
            Parameters = SpectrumParameters(channel, parameters),
        };
        return new Spectrum(Axis(count, first, last), ImmutableCollectionsMarshal.AsImmutableArray(y), xUnit, YKindOf(entry, channel), metadata);
    }

    private ImmutableArray<double> Axis(int count, double first, double last)
    {
        foreach (var axis in _axes)
            if (axis.Points == count && axis.First.Equals(first) && axis.Last.Equals(last)) return axis.X;
        var x = GC.AllocateUninitializedArray<double>(count);
        if (count == 1)
        {
            x[0] = first;
        }
        else
        {
            Spaced(first, (last - first) / (count - 1), x.AsSpan(0, count - 1));
            x[^1] = last;
        }
        var shared = ImmutableCollectionsMarshal.AsImmutableArray(x);
        _axes.Add((count, first, last, shared));
        return shared;
    }

    /// <summary>
    /// y[i] = scale · values[i], a vector at a time: widening and multiplying in double are exact per element, so the
    /// results are those of the scalar loop bit for bit; a scale of 1 leaves every value as it is (NaNs, quiet once widened,
    /// keep their payload), so it needs no loop of its own. 256 bits wide where AVX is, else 128 (NEON, SSE), else one at a time.
    /// </summary>
    private static void Widen(ReadOnlySpan<float> values, double scale, Span<double> y)
    {
        y = y[..values.Length];
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
        {
            ref var from = ref MemoryMarshal.GetReference(values);
            ref var to = ref MemoryMarshal.GetReference(y);
            var factor = Vector256.Create(scale);
            var last = (nuint)(values.Length - Vector256<float>.Count);
            for (nuint at = 0; ; at += (nuint)Vector256<float>.Count)
            {
                if (at > last) at = last; // the last vector overlaps the one before rather than leaving a scalar tail
                var value = Vector256.LoadUnsafe(ref from, at);
                (Vector256.WidenLower(value) * factor).StoreUnsafe(ref to, at);
                (Vector256.WidenUpper(value) * factor).StoreUnsafe(ref to, at + (nuint)Vector256<double>.Count);
                if (at == last) return;
            }
        }
        if (Vector128.IsHardwareAccelerated && values.Length >= Vector128<float>.Count) // Arm64's NEON, or x64 without AVX
        {
            ref var from = ref MemoryMarshal.GetReference(values);
            ref var to = ref MemoryMarshal.GetReference(y);
            var factor = Vector128.Create(scale);
            var last = (nuint)(values.Length - Vector128<float>.Count);
            for (nuint at = 0; ; at += (nuint)Vector128<float>.Count)
            {
                if (at > last) at = last;
                var value = Vector128.LoadUnsafe(ref from, at);
                (Vector128.WidenLower(value) * factor).StoreUnsafe(ref to, at);
                (Vector128.WidenUpper(value) * factor).StoreUnsafe(ref to, at + (nuint)Vector128<double>.Count);
                if (at == last) return;
            }
        }
        for (var i = 0; i < values.Length; i++) y[i] = scale * values[i];
    }

    /// <summary>
    /// x[i] = first + i · step, a vector at a time (the same two roundings per element as the scalar loop; the indices, whole
    /// numbers far below 2⁵³, are counted up exactly in double); as <see cref="Widen"/>, 256 or 128 bits wide.
    /// </summary>
    private static void Spaced(double first, double step, Span<double> x)
    {
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<double>.Count)
        {
            ref var to = ref MemoryMarshal.GetReference(x);
            var start = Vector256.Create(first);
            var steps = Vector256.Create(step);
            var index = Vector256.Create(0.0, 1.0, 2.0, 3.0);
            var stride = Vector256.Create((double)Vector256<double>.Count);
            var last = x.Length - Vector256<double>.Count;
            for (var at = 0; ; at += Vector256<double>.Count, index += stride)
            {
                if (at > last)
                {
                    index -= Vector256.Create((double)(at - last));
                    at = last;
                }
                (start + index * steps).StoreUnsafe(ref to, (nuint)at);
                if (at == last) return;
            }
        }
        if (Vector128.IsHardwareAccelerated && x.Length >= Vector128<double>.Count)
        {
            ref var to = ref MemoryMarshal.GetReference(x);
            var start = Vector128.Create(first);
            var steps = Vector128.Create(step);
            var index = Vector128.Create(0.0, 1.0);
            var stride = Vector128.Create((double)Vector128<double>.Count);
            var last = x.Length - Vector128<double>.Count;
            for (var at = 0; ; at += Vector128<double>.Count, index += stride)
            {
                if (at > last)
                {
                    index -= Vector128.Create((double)(at - last));
                    at = last;
                }
                (start + index * steps).StoreUnsafe(ref to, (nuint)at);
                if (at == last) return;
            }
        }
        for (var i = 0; i < x.Length; i++) x[i] = first + i * step;
    }

    /// <summary>The parameters of every spectrum described by <paramref name="dataParameters"/>: one map, shared by its data blocks.</summary>
    private OpusParameterMap SpectrumParameters(ChannelState channel, OpusParameterBlock dataParameters)
    {
        foreach (var (block, map) in _spectrumParameters)
            if (ReferenceEquals(block, dataParameters)) return map;
        var made = new OpusParameterMap(dataParameters, channel.Parameters);
        _spectrumParameters.Add((dataParameters, made));
        return made;
    }

    private DateTimeOffset? AcquiredUtc(OpusParameterBlock parameters, object? date, object? time)
    {
        if (date is null || time is null) return null;
        if (date is string d && time is string t && OpusTime.TryParseDateAndTime(d, t, out var utc)) return utc;
        throw OpusReader.Error(_file, $"{parameters.Name}: DAT {OneLine.Quote(Convert.ToString(date, CultureInfo.InvariantCulture))} / TIM {OneLine.Quote(Convert.ToString(time, CultureInfo.InvariantCulture))} is not a valid date and time", parameters.Offset);
    }

    private static (XUnit Unit, string? Label) XUnitOf(object? value)
    {
        if (value is not string unit) return (XUnit.Other, null);
        return unit switch
        {
            "WN" => (XUnit.Wavenumber, null),
            "MI" => (XUnit.Micrometre, null),
            "NM" => (XUnit.Nanometre, null),
            "PNT" => (XUnit.Points, null),
            _ => (XUnit.Other, unit),
        };
    }

    /// <summary>
    /// Single channels and interferograms by block; processed spectra (block type 15) by channel: 16 is
    /// absorbance unless the acquisition's result spectrum (PLF) says TR or KM, 48 is reflectance; anything else is arbitrary.
    /// </summary>
    private static YKind YKindOf(in OpusReader.Entry entry, ChannelState channel)
    {
        if (entry.Block is 7 or 11)
            return entry.Channel switch { 4 => YKind.SingleChannel, 8 => YKind.Interferogram, _ => YKind.Arbitrary };
        if (entry.Block != 15) return YKind.Arbitrary;
        return entry.Channel switch
        {
            16 => channel.ResultSpectrum switch
            {
                "TR" => YKind.Transmittance,
                "KM" => YKind.KubelkaMunk,
                _ => YKind.Absorbance,
            },
            48 => YKind.Reflectance,
            _ => YKind.Arbitrary,
        };
    }

    private long RequireInteger(OpusParameterBlock parameters, string code, object? value) =>
        value is long number
            ? number
            : throw OpusReader.Error(_file, $"{parameters.Name} has no integer {code}", parameters.Offset);

    private double RequireFinite(OpusParameterBlock parameters, string code, object? value) =>
        value is not null && AsNumber(value) is { } number && double.IsFinite(number)
            ? number
            : throw OpusReader.Error(_file, $"{parameters.Name} has no finite number {code}", parameters.Offset);

    private static double? AsNumber(object value) => value switch
    {
        double d => d,
        long l => l,
        _ => null,
    };

    private OpusParameterBlock? Find(string name) => _blocks.GetValueOrDefault(name);

    /// <summary>
    /// The values of a data-parameter block that make its spectrum, null where absent: each the first of its code, as
    /// <see cref="OpusParameterBlock.TryGetValue"/> finds it, all found in one pass over the block.
    /// </summary>
    [StructLayout(LayoutKind.Auto)]
    private struct DataValues
    {
        public object? Points, First, Last, Scale, Format, Date, Time, XUnit;

        public static DataValues Of(OpusParameterBlock block)
        {
            var found = default(DataValues);
            foreach (var parameter in block.Parameters.AsSpan())
            {
                var value = parameter.Value;
                switch (parameter.Code)
                {
                    case "NPT": found.Points ??= value; break;
                    case "FXV": found.First ??= value; break;
                    case "LXV": found.Last ??= value; break;
                    case "CSF": found.Scale ??= value; break;
                    case "DPF": found.Format ??= value; break;
                    case "DAT": found.Date ??= value; break;
                    case "TIM": found.Time ??= value; break;
                    case "DXU": found.XUnit ??= value; break;
                }
            }
            return found;
        }
    }

    /// <summary>Names of the parameter blocks that describe one measurement channel.</summary>
    private sealed record Channel(string Instrument, string Optics, string Acquisition, string FourierTransformation);

    /// <summary>What every spectrum of one channel of the file shares, looked up once: instrument (INS), resolution (RES), result spectrum (PLF) and parameter blocks.</summary>
    private sealed class ChannelState
    {
        public ChannelState(SpectrumContext context, Channel names)
        {
            var instrument = context.Find(names.Instrument);
            var acquisition = context.Find(names.Acquisition);
            Instrument = instrument?.TryGetValue("INS", out var ins) == true ? ins as string : null;
            Resolution = acquisition?.TryGetValue("RES", out var res) == true ? AsNumber(res) : null;
            ResultSpectrum = acquisition?.TryGetValue("PLF", out var plf) == true ? plf as string : null;
            // In the order they win: the first block (and first code) holding a value.
            Parameters = new([context.Find("sample"), instrument, context.Find(names.Optics), acquisition, context.Find(names.FourierTransformation)]);
        }

        public string? Instrument { get; }

        public double? Resolution { get; }

        public string? ResultSpectrum { get; }

        public OpusParameterMap.Channel Parameters { get; }
    }
}
