using System.Text.Json.Serialization;

namespace MidirEdge.Spectra.Preprocessing;

// Source-generated JSON metadata for pipelines and their steps: reflection-based (de)serialization jitted about a
// thousand generic instantiations and emitted accessors when the agent loaded its bundles at start, and a trimmed or
// Native AOT build cannot use it at all. The settings themselves stay in PreprocessingPipeline.JsonOptions.
[JsonSerializable(typeof(PreprocessingPipeline))]
internal sealed partial class PreprocessingJsonContext : JsonSerializerContext;
