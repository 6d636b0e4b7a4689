using System.Text.Json;
using System.Text.Json.Serialization;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Mqtt;

/// <summary>Source-generated System.Text.Json metadata for the published payloads (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter), typeof(QcFlagConverter)])]
[JsonSerializable(typeof(ResultMessage))]
[JsonSerializable(typeof(StatusMessage))]
[JsonSerializable(typeof(SpectrumMessage))]
[JsonSerializable(typeof(RejectedMessage))]
public sealed partial class DeliveryJson : JsonSerializerContext;

/// <summary>Writes a QC flag as its stable name (<c>noise</c>, <c>coverage:ID</c>); reads the name back.</summary>
internal sealed class QcFlagConverter : JsonConverter<QcFlag>
{
    public override QcFlag Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        QcFlag.Parse(reader.GetString()!) ?? throw new JsonException($"'{reader.GetString()}' names no quality check");

    public override void Write(Utf8JsonWriter writer, QcFlag value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
