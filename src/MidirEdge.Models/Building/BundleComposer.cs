using System.Collections.Immutable;
using MidirEdge.Models.Bundles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Json;

namespace MidirEdge.Models.Building;

/// <summary>Who and what a built bundle is: the parts of its manifest a builder cannot infer from data.</summary>
/// <param name="Id">Bundle id.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Version">Semantic version.</param>
/// <param name="Description">What the models are for and where they are valid.</param>
/// <param name="Authors">Who built it.</param>
/// <param name="Units">Unit of each target, where known.</param>
public sealed record BundleIdentity(string Id, string Name, string Version, string? Description = null,
    ImmutableArray<string> Authors = default, IReadOnlyDictionary<string, string>? Units = null);

/// <summary>Turns built models into a bundle's manifest and artefact files.</summary>
public static class BundleComposer
{
    /// <summary>The manifest (without file hashes, which <see cref="BundleWriter"/> adds) and the artefacts.</summary>
    public static (BundleManifest Manifest, Dictionary<string, byte[]> Artefacts) Compose(
        BundleIdentity identity, SpectralTable table, string groupColumn, IReadOnlyList<BuiltModel> models, DateTimeOffset created)
    {
        var artefacts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var entries = ImmutableArray.CreateBuilder<ModelEntry>();
        foreach (var built in models)
        {
            var stem = FileStem(built.Target);
            var modelFile = $"{stem}.{built.Model.Kind}.json";
            artefacts[modelFile] = built.Model.ToJson();
            artefacts[$"{stem}.domain.json"] = BundleWriter.ToJson(built.Domain);
            string? pcaFile = null;
            if (built.Pca is not null)
            {
                pcaFile = $"{stem}.pca.json";
                artefacts[pcaFile] = BundleWriter.ToJson(built.Pca);
            }
            var members = built.Members.Select((member, m) =>
            {
                var file = $"{stem}.member{m}.{member.Model.Kind}.json";
                artefacts[file] = member.Model.ToJson();
                string? memberPca = null;
                if (member.Pca is not null)
                {
                    memberPca = $"{stem}.member{m}.pca.json";
                    artefacts[memberPca] = BundleWriter.ToJson(member.Pca);
                }
                return new MemberSpec(member.Score.Pipeline.Features with { PcaFile = memberPca }, Spec(member.Model.Kind, file, member.Score.Transform));
            }).ToImmutableArray();
            var stats = built.Best.Statistics;
            entries.Add(new ModelEntry
            {
                Targets = [built.Target],
                Features = built.Best.Pipeline.Features with { PcaFile = pcaFile },
                Model = Spec(built.Model.Kind, modelFile, built.Best.Transform) with { Members = members.IsEmpty ? null : members },
                Domain = new DomainSpec($"{stem}.domain.json", built.DomainConfidence),
                Training = new TrainingSummary(built.Samples, built.Groups,
                    Validation(built, groupColumn), built.Model.Components, built.Best.Pipeline.Name,
                    ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(built.Target, Statistics(stats, built.Best.Spread, built.Repeats))]))
                {
                    Learner = built.Best.Learner.Name,
                },
                Interval = built.Interval,
                Quality = built.Quality,
            });
        }
        var manifest = new BundleManifest
        {
            Format = BundleManifest.CurrentFormat,
            Id = identity.Id,
            Name = identity.Name,
            Version = identity.Version,
            Created = created,
            Authors = identity.Authors.IsDefault ? [] : identity.Authors,
            Description = identity.Description,
            Targets = [.. models.Select(m => new TargetInfo(m.Target, identity.Units?.GetValueOrDefault(m.Target), null, m.Min, m.Max))],
            Input = new InputSpec(SpectrumJson.Name(table.XUnit), SpectrumJson.Name(table.YKind), table.X),
            Models = entries.ToImmutable(),
            Files = ImmutableSortedDictionary<string, string>.Empty,
        };
        return (manifest, artefacts);
    }

    private static ModelSpec Spec(string kind, string file, TargetTransform transform) =>
        new(kind, file) { Transform = transform == TargetTransform.None ? null : transform };

    private static string Validation(BuiltModel built, string groupColumn) =>
        (built.Repeats > 1 ? $"{built.Repeats} × " : "")
        + $"grouped {built.Folds}-fold cross-validation by {groupColumn}"
        + (built.Repeats > 1 ? "; statistics are means over the repeats (sd in 'sd')" : "")
        + "; pipeline, learner and its settings chosen on the same folds"
        + (built.Members.IsEmpty ? "" : "; the ensemble's weights scored on each fold after fitting them on the other folds' out-of-fold predictions");

    private static ValidationStatistics Statistics(Pls.RegressionStatistics mean, Pls.RegressionStatistics spread, int repeats) =>
        new(mean.Rmse, mean.R2, mean.Bias, mean.Rpd, mean.Rpiq)
        {
            Ccc = mean.Ccc,
            Sd = repeats > 1 ? new ValidationStatistics(spread.Rmse, spread.R2, spread.Bias, spread.Rpd, spread.Rpiq) { Ccc = spread.Ccc } : null,
        };

    private static string FileStem(string target) =>
        string.Concat(target.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_'));
}
