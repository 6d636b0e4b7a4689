using System.Text.Json.Serialization;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Dashboard;

/// <summary>Source-generated System.Text.Json metadata for the dashboard API (camelCase, nulls omitted, UTC timestamps).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(DashboardStatus))]
[JsonSerializable(typeof(Rejection))]
[JsonSerializable(typeof(IReadOnlyList<Rejection>))]
public sealed partial class DashboardJson : JsonSerializerContext;
