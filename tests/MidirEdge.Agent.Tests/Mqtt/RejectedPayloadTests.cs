using System.Text.Json;
using MidirEdge.Agent.Domain;
using MidirEdge.Agent.Mqtt;

namespace MidirEdge.Agent.Tests.Mqtt;

/// <summary>The v1 rejected payload as documented in docs/mqtt-payload.md.</summary>
public sealed class RejectedPayloadTests
{
    private static readonly RejectedCapture Unreadable = new()
    {
        Adapter = "inbox",
        Source = "/var/lib/midir-edge/inbox/broken.0",
        Kind = RejectionKind.Unreadable,
        Reason = "empty file (0 bytes)",
        RejectedUtc = new DateTimeOffset(2026, 11, 24, 23, 59, 2, 123, TimeSpan.FromHours(1)),
    };

    /// <summary>The documented camelCase names in order, the kind's name, a UTC timestamp with Z, and no spectrum fields before a spectrum was read.</summary>
    [Fact]
    public void Serializes_to_the_documented_v1_shape()
    {
        var json = JsonSerializer.SerializeToElement(RejectedMessage.From(Unreadable, "farm", "ftir2"), DeliveryJson.Default.RejectedMessage);

        Assert.Equal(["schema", "id", "site", "instrument", "adapter", "source", "kind", "reason", "qcFlags", "rejectedUtc"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("midir-edge/rejected/1", json.GetProperty("schema").GetString());
        Assert.Equal("unreadable", json.GetProperty("kind").GetString());
        Assert.Equal(0, json.GetProperty("qcFlags").GetArrayLength());
        Assert.Equal("2026-11-24T22:59:02.123Z", json.GetProperty("rejectedUtc").GetString());
    }

    /// <summary>A quality failure carries the flags by their names, the spectrum hash and the sample name.</summary>
    [Fact]
    public void A_quality_failure_carries_its_flags_and_the_spectrum()
    {
        var rejection = Unreadable with
        {
            Kind = RejectionKind.Qc,
            Reason = "quality control failed: noise",
            QcFlags = [new QcFlag(QcCheckKind.Noise), new QcFlag(QcCheckKind.Coverage, "pls-C")],
            SpectrumHash = "5466e23248ae9a179f8640ff25b45a78",
            SampleName = "S0008",
        };

        var json = JsonSerializer.SerializeToElement(RejectedMessage.From(rejection, "farm", "ftir2"), DeliveryJson.Default.RejectedMessage);

        Assert.Equal("qc", json.GetProperty("kind").GetString());
        Assert.Equal(["noise", "coverage:pls-C"], json.GetProperty("qcFlags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(("5466e23248ae9a179f8640ff25b45a78", "S0008"), (json.GetProperty("spectrumHash").GetString(), json.GetProperty("sampleName").GetString()));
    }

    /// <summary>The id is 32 hex digits, the same for the same rejection and different for another time or file.</summary>
    [Fact]
    public void The_id_names_one_rejection()
    {
        Assert.Matches("^[0-9a-f]{32}$", Unreadable.Id);
        Assert.Equal(Unreadable.Id, (Unreadable with { }).Id);
        Assert.NotEqual(Unreadable.Id, (Unreadable with { RejectedUtc = Unreadable.RejectedUtc.AddMilliseconds(1) }).Id);
        Assert.NotEqual(Unreadable.Id, (Unreadable with { Source = "/var/lib/midir-edge/inbox/other.0" }).Id);
    }

    /// <summary>The payload reads back into an equal message (the demo's console reads it so).</summary>
    [Fact]
    public void Round_trips()
    {
        var message = RejectedMessage.From(Unreadable with { QcFlags = [new QcFlag(QcCheckKind.Flat)] }, "farm", "ftir2");

        var back = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(message, DeliveryJson.Default.RejectedMessage), DeliveryJson.Default.RejectedMessage)!;

        Assert.Equal(message with { QcFlags = back.QcFlags }, back);
        Assert.Equal(message.QcFlags, back.QcFlags);
    }
}
