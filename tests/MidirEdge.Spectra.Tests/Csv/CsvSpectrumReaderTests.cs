using System.Text;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests.Csv;

public class CsvSpectrumReaderTests
{
    private const string Yamsys = "data/yamsys/yamsys_dev.csv.gz";

    private static readonly Lazy<byte[]> YamsysBytes = new(() => Fixtures.ReadBytes(Yamsys));

    private static IReadOnlyList<Spectrum> ReadText(string text, CsvReadOptions? options = null) =>
        CsvSpectrumReader.Read(Encoding.UTF8.GetBytes(text), "inline.csv", options);

    [Fact]
    public void Yamsys_has_224_spectra_of_1716_wavenumbers_with_lab_values_as_parameters()
    {
        var spectra = CsvSpectrumReader.Read(YamsysBytes.Value, "yamsys_dev.csv");

        Assert.Equal(224, spectra.Count);
        var first = spectra[0];
        Assert.Equal(1716, first.Length);
        Assert.Equal(3997.397, first.X[0]);
        Assert.Equal(499.675, first.X[^1]);
        Assert.Equal(XUnit.Wavenumber, first.XUnit);
        Assert.Equal(YKind.Absorbance, first.YKind);
        Assert.Equal("BF_lo_01_soil_cal.0", first.Metadata.SampleName);
        Assert.Equal("BF_lo_01_soil_cal.0", first.Metadata.Block);
        Assert.Equal("yamsys_dev.csv", first.Metadata.SourceFile);
        Assert.Equal("BF_lo_01_soil_cal", first.Metadata.Parameters["sample_id"]);
        Assert.Equal("BF", first.Metadata.Parameters["country"]);
        Assert.Equal(6.92366666666667, first.Metadata.Parameters["C"]);
        Assert.Equal(34, first.Metadata.Parameters.Count);
        Assert.Equal(0.111613802611828, first.Y[0]);
    }

    [Fact]
    public void Yamsys_row_matches_the_AB_block_of_its_OPUS_file_as_opusreader2_read_it()
    {
        using var reference = Fixtures.ReadJson("reference/opus/BF_lo_01_soil_cal.1.json.gz");
        var ab = reference.RootElement.GetProperty("blocks").GetProperty("ab");
        var expectedY = ab.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var expectedX = ab.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()).ToArray();

        var spectrum = CsvSpectrumReader.Read(YamsysBytes.Value, "yamsys_dev.csv")
            .Single(s => s.Metadata.SampleName == "BF_lo_01_soil_cal.1");

        // The CSV and the reference JSON both print the OPUS float32 values to 15 significant digits: equal as doubles.
        Assert.Equal(expectedY, spectrum.Y.ToArray());
        // The CSV headers round the wavenumbers to 3 decimals.
        for (var i = 0; i < expectedX.Length; i++) Assert.Equal(expectedX[i], spectrum.X[i], 0.0005);
    }

    [Fact]
    public void Yamsys_table_keeps_missing_lab_values_as_null_and_groups_by_sample()
    {
        var table = CsvSpectrumReader.ReadTable(YamsysBytes.Value, "yamsys_dev.csv");

        Assert.Equal(224, table.RowCount);
        Assert.Equal(1716, table.X.Length);
        Assert.Equal(34, table.Columns.Length);
        Assert.Equal(["file_id", "sample_id", "country", "site"], table.Columns.Take(4).Select(c => c.Name));
        Assert.Equal("BF_lo_01_soil_cal.1", table.RowIds[1]);
        var carbon = table.Column("C").ToDoubles();
        Assert.Equal(6.92366666666667, carbon[0]);
        Assert.Equal(74, table.Column("sample_id").ToStrings().Distinct().Count());
        Assert.Contains(table.Columns, c => c.Values.Contains(null));
        Assert.Equal(table.Values[5], table.SpectrumAt(5).Y.ToArray());
        Assert.Throws<ArgumentException>(() => table.Column("no such column"));
        Assert.Throws<InvalidOperationException>(() => table.Column("country").ToDoubles());
    }

    [Fact]
    public void Two_columns_with_header_and_comments()
    {
        var spectrum = Assert.Single(ReadText("# exported by hand\nwavenumber,absorbance\n4000,0.1\n\n# middle comment\n3998.5,0.25\r\n3997,-1e-3\n"));

        Assert.Equal([4000, 3998.5, 3997], spectrum.X.ToArray());
        Assert.Equal([0.1, 0.25, -0.001], spectrum.Y.ToArray());
        Assert.Null(spectrum.Metadata.SampleName);
        Assert.Equal("inline.csv", spectrum.Metadata.SourceFile);
    }

    [Fact]
    public void Two_columns_without_header_take_units_from_options()
    {
        var spectrum = Assert.Single(ReadText("2.5,90\n2.6,80.5", new CsvReadOptions { XUnit = XUnit.Micrometre, YKind = YKind.Transmittance }));

        Assert.Equal([2.5, 2.6], spectrum.X.ToArray());
        Assert.Equal([90, 80.5], spectrum.Y.ToArray());
        Assert.Equal(XUnit.Micrometre, spectrum.XUnit);
        Assert.Equal(YKind.Transmittance, spectrum.YKind);
    }

    [Fact]
    public void Semicolon_with_decimal_comma()
    {
        var spectrum = Assert.Single(ReadText("x;y\n4000,5;0,125\n3999;1,5e-2\n"));

        Assert.Equal([4000.5, 3999], spectrum.X.ToArray());
        Assert.Equal([0.125, 0.015], spectrum.Y.ToArray());
    }

    [Fact]
    public void Tab_separated_wide_table_with_decimal_comma()
    {
        var spectra = ReadText("id\tC\t4000,0\t3998,0\nsoil 1\t1,5\t0,1\t0,2\nsoil 2\t\t0,3\t0,4\n");

        Assert.Equal(2, spectra.Count);
        Assert.Equal([4000.0, 3998.0], spectra[0].X.ToArray());
        Assert.Equal([0.3, 0.4], spectra[1].Y.ToArray());
        Assert.Equal(1.5, spectra[0].Metadata.Parameters["C"]);
        Assert.False(spectra[1].Metadata.Parameters.ContainsKey("C"));
        Assert.Equal("soil 2", spectra[1].Metadata.SampleName);
    }

    [Fact]
    public void R_row_names_under_an_empty_header_become_the_sample_name()
    {
        var spectrum = Assert.Single(ReadText("\"\",\"4000\",\"3998\"\n\"soil 7\",0.1,0.2\n"));

        Assert.Equal("soil 7", spectrum.Metadata.SampleName);
        Assert.Equal([4000.0, 3998.0], spectrum.X.ToArray());
    }

    [Fact]
    public void Quoted_fields_follow_RFC_4180()
    {
        var spectra = ReadText("\"id\",\"note\",\"1000\",\"999\"\r\n\"a,1\",\"said \"\"hi\"\"\nover two lines\",\"0.5\",0.25\r\nb,plain,1,2\r\n");

        Assert.Equal(2, spectra.Count);
        Assert.Equal("a,1", spectra[0].Metadata.SampleName);
        Assert.Equal("said \"hi\"\nover two lines", spectra[0].Metadata.Parameters["note"]);
        Assert.Equal([0.5, 0.25], spectra[0].Y.ToArray());
        Assert.Equal("b", spectra[1].Metadata.SampleName);
    }

    [Fact]
    public void Options_can_force_delimiter_and_decimal_mark()
    {
        var spectrum = Assert.Single(ReadText("1|2,5\n2|3,5\n", new CsvReadOptions { Delimiter = '|', DecimalComma = true }));

        Assert.Equal([2.5, 3.5], spectrum.Y.ToArray());
        Assert.Throws<ArgumentException>(() => ReadText("1,2", new CsvReadOptions { Delimiter = ',', DecimalComma = true }));
        Assert.Throws<ArgumentException>(() => ReadText("1,2", new CsvReadOptions { Delimiter = '"' }));
    }

    [Theory]
    [InlineData("", null, "no data")]
    [InlineData("# only a comment\n\n", null, "no data")]
    [InlineData("x,y\n", 1, "no data rows")]
    [InlineData("x,y\n1,2\n3,4,5\n", 3, "3 fields")]
    [InlineData("x,y\n1,2\n3,abc\n", 3, "'abc' is not a number")]
    [InlineData("1,2\n3,\n", 2, "empty field")]
    [InlineData("1,2,3\n4,5,6\n", 1, "without a header")]
    [InlineData("a,b,c\n4,5,6\n", 1, "fewer than two numeric")]
    [InlineData("justone\n1\n", 1, "at least two columns")]
    [InlineData("id,1000,999\ns,1,\n", 2, "no value in spectral column '999'")]
    [InlineData("id,1000,999\ns,1,2\nt,1,x\n", 3, "'x' is not a number")]
    [InlineData("id,1000,999\n\"s,1,2\n", 2, "not closed")]
    [InlineData("id,1000,999\n\"s\"x,1,2\n", 2, "after a closing quote")]
    [InlineData("id,id,1000,999\ns,t,1,2\n", 1, "appears twice")]
    [InlineData("x,y\n1,NaN\n", 2, "'NaN' is not a number")]
    public void Bad_input_is_a_format_error_with_its_line(string text, int? line, string reason)
    {
        var error = Assert.Throws<SpectrumFormatException>(() => ReadText(text));

        Assert.Equal("inline.csv", error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Mutations_of_a_few_yamsys_rows_fail_only_with_format_errors()
    {
        // First 4 lines (header + 3 spectra), cut to the 34 metadata columns and 60 absorbance columns.
        var lines = Encoding.UTF8.GetString(YamsysBytes.Value).Split('\n').Take(4)
            .Select(line => string.Join(',', line.Split(',').Take(94)));
        var small = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        Assert.Equal(3, CsvSpectrumReader.Read(small, "small.csv").Count);

        Mutations.AssertOnlyFormatErrors("small.csv", small, mutant => CsvSpectrumReader.Read(mutant, "small.csv"));
    }
}
