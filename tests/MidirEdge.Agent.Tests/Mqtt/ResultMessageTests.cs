using System.Text.Json;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Mqtt;
using MidirEdge.Agent.Tests.Infrastructure;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>The v1 result payload as documented in docs/mqtt-payload.md.</summary>
public sealed class ResultMessageTests
{
    /// <summary>The payload uses the documented camelCase names, UTC timestamps with Z, and omits absent optional fields.</summary>
    [Fact]
    public void Serializes_to_the_documented_v1_shape()
    {
        var result = TestData.Result(TestData.Spectrum(1));

        var json = JsonSerializer.SerializeToElement(result, DeliveryJson.Default.ResultMessage);

        Assert.Equal(
            ["schema", "id", "spectrumHash", "sampleName", "acquiredUtc", "site", "instrument", "qc", "predictions", "processedUtc", "processingMs"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("midir-edge/result/1", json.GetProperty("schema").GetString());
        Assert.Equal("2026-11-24T12:01:00.000Z", json.GetProperty("acquiredUtc").GetString());
        Assert.Equal(["passed", "flags"], json.GetProperty("qc").EnumerateObject().Select(p => p.Name));
        var first = json.GetProperty("predictions")[0];
        Assert.Equal(["target", "value", "unit", "model", "version", "inDomain", "t2", "q"], first.EnumerateObject().Select(p => p.Name));
        Assert.False(json.GetProperty("predictions")[1].TryGetProperty("unit", out _));
    }

    /// <summary>The payload reads back into an equal message.</summary>
    [Fact]
    public void Round_trips()
    {
        var result = TestData.Result(TestData.Spectrum(2));

        var back = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(result, DeliveryJson.Default.ResultMessage), DeliveryJson.Default.ResultMessage)!;

        Assert.Equal(result.Id, back.Id);
        Assert.Equal(result.AcquiredUtc, back.AcquiredUtc);
        Assert.Equal(result.Predictions, back.Predictions);
    }

    /// <summary>The id depends on the spectrum and the model versions, not on prediction order or values.</summary>
    [Fact]
    public void Id_is_stable_for_a_spectrum_and_model_versions()
    {
        var hash = SpectrumHash.Compute(TestData.Spectrum(3));
        Prediction a = new("C", 1, "g/kg", "pls-C", "3", true, null, null);
        Prediction b = new("N", 2, "g/kg", "pls-N", "1", true, null, null);

        var id = SpectrumResult.CreateId(hash, [a, b]);

        Assert.Equal(32, id.Length);
        Assert.Equal(id, SpectrumResult.CreateId(hash, [b, a with { Value = 9 }]));
        Assert.NotEqual(id, SpectrumResult.CreateId(hash, [a, b with { Version = "2" }]));
        Assert.NotEqual(id, SpectrumResult.CreateId(SpectrumHash.Compute(TestData.Spectrum(4)), [a, b]));
        Assert.Equal(hash, SpectrumHash.Compute(TestData.Spectrum(3)));
    }
}
