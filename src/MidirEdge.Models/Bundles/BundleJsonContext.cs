using System.Text.Json.Serialization;
using MidirEdge.Models.Learners;

namespace MidirEdge.Models.Bundles;

// Source-generated JSON metadata for manifests and artefacts: reflection-based (de)serialization jitted over a thousand
// generic instantiations and emitted accessors while the agent loaded its bundles at start, and a trimmed or Native AOT
// build cannot use it at all. The settings themselves stay in BundleManifest.JsonOptions.
[JsonSerializable(typeof(BundleManifest))]
[JsonSerializable(typeof(LinearModelArtefact))]
[JsonSerializable(typeof(PcaArtefact))]
[JsonSerializable(typeof(DomainArtefact))]
[JsonSerializable(typeof(MblArtefact))]
[JsonSerializable(typeof(GprArtefact))]
[JsonSerializable(typeof(TreeEnsembleArtefact))]
internal sealed partial class BundleJsonContext : JsonSerializerContext;
