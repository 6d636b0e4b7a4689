using System.Collections.Immutable;

namespace MidirEdge.Spectra;

/// <summary>A named non-spectral column of a <see cref="SpectralTable"/>: each value is a <see cref="double"/>, a <see cref="string"/> or <see langword="null"/> (missing).</summary>
public sealed class MetadataColumn
{
    /// <summary>Creates a column; values must be <see cref="double"/>, <see cref="string"/> or <see langword="null"/>.</summary>
    public MetadataColumn(string name, ImmutableArray<object?> values)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (values.IsDefault) throw new ArgumentNullException(nameof(values));
        foreach (var value in values)
            if (value is not (null or double or string))
                throw new ArgumentException($"column '{name}' holds a {value.GetType().Name}; only double, string or null are allowed.", nameof(values));
        Name = name;
        Values = values;
    }

    /// <summary>Column header.</summary>
    public string Name { get; }

    /// <summary>One value per table row.</summary>
    public ImmutableArray<object?> Values { get; }

    /// <summary>The values as numbers, NaN where missing; throws if any value is text.</summary>
    public double[] ToDoubles()
    {
        var result = new double[Values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Values[i] switch
            {
                null => double.NaN,
                double d => d,
                var text => throw new InvalidOperationException($"column '{Name}' row {i} holds text '{text}', not a number."),
            };
        }
        return result;
    }

    /// <summary>The values as text (numbers formatted invariantly), null where missing.</summary>
    public string?[] ToStrings()
    {
        var result = new string?[Values.Length];
        for (var i = 0; i < result.Length; i++)
            result[i] = Values[i] switch
            {
                double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                var other => (string?)other,
            };
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Values.Length} values";
}
