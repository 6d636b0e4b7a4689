using System.Collections.Immutable;
using System.Text.Json;
using MidirEdge.Spectra.Formats.Csv;
using MidirEdge.Spectra.Preprocessing;
using MidirEdge.Tests;

namespace MidirEdge.Spectra.Tests.Preprocessing;

public class PipelineTests
{
    private static readonly PreprocessingPipeline EveryStep = new(
    [
        new TransmittanceToAbsorbance(Percent: true),
        new ReflectanceToAbsorbance(),
        new KubelkaMunk(),
        new ToWavenumber(),
        new SortByX(),
        new Trim([new XRange(600, 4000)]),
        new Exclude([new XRange(2269, 2389)]),
        new Resample(600, 4000, 2, InterpolationMethod.Cubic),
        new Resample([1000, 1500.5]),
        new SavitzkyGolay(17, 2, 1, 2.03948804664723, SavitzkyGolayMode.Mirror),
        new Snv(ddof: 0),
        new Msc([0.1, 0.2, 0.3]),
        new Detrend(2),
        new MinMax(),
        new MeanCentre([0.5, 0.25]),
    ]);

    [Fact]
    public void Every_step_round_trips_through_JSON()
    {
        var json = EveryStep.ToJson();

        var back = PreprocessingPipeline.FromJson(json);

        Assert.Equal(json, back.ToJson());
        Assert.Equal(EveryStep.Steps.Select(s => s.GetType()), back.Steps.Select(s => s.GetType()));
        Assert.Contains("""{"step":"savgol","windowLength":17,"polyOrder":2,"derivative":1,"delta":2.03948804664723,"mode":"mirror","constantValue":0}""", json);
        Assert.Contains("""{"step":"resample","start":600,"stop":4000,"spacing":2,"method":"cubic"}""", json);
        Assert.Contains("""{"step":"exclude","ranges":[{"low":2269,"high":2389}]}""", json);
        Assert.Equal(1701, ((Resample)back.Steps[7]).Grid.Length);
    }

    [Fact]
    public void A_pipeline_read_back_from_JSON_gives_the_same_spectrum()
    {
        var spectrum = CsvSpectrumReader.Read(Fixtures.ReadBytes("data/yamsys/yamsys_dev.csv.gz"), "yamsys_dev.csv")[0];
        var pipeline = new PreprocessingPipeline(
        [
            new Exclude([new XRange(2269, 2389)]),
            new Resample(600, 4000, 4, InterpolationMethod.Cubic),
            new SavitzkyGolay(17, 2, 1),
            new Snv(),
        ]);

        var direct = pipeline.Apply(spectrum);
        var viaJson = PreprocessingPipeline.FromJson(pipeline.ToJson()).Apply(spectrum);

        Assert.Equal(851, direct.Length);
        Assert.Equal(direct.Y.ToArray(), viaJson.Y.ToArray());
        Assert.Equal(spectrum.Metadata, direct.Metadata);
    }

    [Fact]
    public void Bad_pipeline_JSON_is_rejected()
    {
        Assert.Throws<JsonException>(() => PreprocessingPipeline.FromJson("""{"steps":[{"step":"nosuchstep"}]}"""));
        Assert.Throws<JsonException>(() => PreprocessingPipeline.FromJson("""{"steps":[{"step":"snv","ddof":1,"typo":2}]}"""));
        Assert.Throws<JsonException>(() => PreprocessingPipeline.FromJson("""{"steps":[{"step":"savgol","polyOrder":2}]}"""));
        Assert.Throws<ArgumentException>(() => PreprocessingPipeline.FromJson("""{"steps":[{"step":"savgol","windowLength":4,"polyOrder":2}]}"""));
        Assert.Throws<ArgumentException>(() => PreprocessingPipeline.FromJson("""{"steps":[{"step":"resample","start":1,"stop":2,"spacing":1,"points":[1],"method":"linear"}]}"""));
    }

    [Fact]
    public void Steps_may_come_in_any_property_order()
    {
        var pipeline = PreprocessingPipeline.FromJson("""{"steps":[{"order":3,"step":"detrend"}]}""");

        Assert.Equal(new Detrend(3), Assert.Single(pipeline.Steps));
    }
}
