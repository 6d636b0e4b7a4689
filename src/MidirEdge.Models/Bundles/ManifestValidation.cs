using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MidirEdge.Models.Prediction;
using MidirEdge.Scattering;
using MidirEdge.Spectra.Preprocessing;
using NuGet.Versioning;
using MidirEdge.Spectra;

namespace MidirEdge.Models.Bundles;

/// <summary>
/// Reads manifest.json into a manifest whose every field is present, of its type and within <see cref="BundleLimits"/>,
/// or refuses it with one line naming the field, e.g. <c>manifest.json: models[0].domain is missing</c>.
/// </summary>
internal static partial class ManifestValidation
{
    private const string Manifest = BundleFiles.Manifest;

    /// <summary>The validated manifest of <paramref name="source"/>.</summary>
    /// <exception cref="ModelException">Not JSON, a field missing, of the wrong type or out of range.</exception>
    public static BundleManifest Parse(byte[] bytes, string source)
    {
        if (bytes.Length > BundleLimits.MaxManifestBytes)
            throw new ModelException(source, $"{Manifest} is {Mib(bytes.Length)} MiB (limit {Mib(BundleLimits.MaxManifestBytes)} MiB)");
        CheckRegularResampling(bytes, source);
        BundleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BundleManifest>(bytes, BundleManifest.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new ModelException(source, $"{Manifest}: {JsonError(ex, bytes)}");
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or InvalidOperationException or FormatException or OverflowException)
        {
            // A preprocessing step refusing its parameters while the JSON was read, or a shape the reader cannot build.
            throw new ModelException(source, $"{Manifest}: {LibraryMessage.Of(ex.Message)}");
        }
        if (manifest is null) throw new ModelException(source, $"{Manifest} is null");
        Check(manifest, source);
        return manifest;
    }

    /// <summary>One line for a JSON error in <paramref name="json"/>: the JSON path and what is wrong, without the reader's line and byte positions.</summary>
    public static string JsonError(JsonException ex, byte[] json)
    {
        var path = ex.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : "";
        var message = LibraryMessage.Of(ex.Message);
        if (MissingRequired().Match(message) is { Success: true } missing)
            return $"{Join(path, missing.Groups[1].Value)} is missing";
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return $"{(path.Length > 0 ? path : "the document")} {(IsNull(json, ex.Path) ? "is missing" : "has the wrong type")}";
        return path.Length > 0 ? $"{path} is not valid: {message}" : $"not valid JSON: {message}";
    }

    // True when the value at a System.Text.Json path ($.a.b[0]['c']) is a JSON null.
    private static bool IsNull(byte[] json, string? path)
    {
        if (path is null) return false;
        try
        {
            var node = JsonNode.Parse(json);
            foreach (Match segment in PathSegment().Matches(path))
            {
                if (node is null) return false;
                node = segment.Groups[2].Success ? node.AsArray()[int.Parse(segment.Groups[2].ValueSpan, CultureInfo.InvariantCulture)]
                    : node.AsObject()[segment.Groups[1].Success ? segment.Groups[1].Value : segment.Groups[3].Value.Replace("''", "'", StringComparison.Ordinal)];
            }
            return node is null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            return false;
        }
    }

    // The one size the typed read itself would allocate: a resampling grid given as start/stop/spacing is built by the
    // step's constructor (up to ten million points), so its length is checked on the JSON before the read.
    private static void CheckRegularResampling(byte[] bytes, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return; // the typed read names what is wrong
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("models", out var models)
                || models.ValueKind != JsonValueKind.Array) return;
            var i = 0;
            foreach (var model in models.EnumerateArray())
            {
                CheckRegularResampling(model, $"models[{i}]", source);
                var j = 0;
                foreach (var member in Members(model))
                {
                    CheckRegularResampling(member, $"models[{i}].model.members[{j}]", source);
                    j++;
                }
                i++;
            }
        }
    }

    // The steps of one model's (or ensemble member's) features.
    private static void CheckRegularResampling(JsonElement model, string at, string source)
    {
        var s = 0;
        foreach (var step in Steps(model))
        {
            if (step.ValueKind == JsonValueKind.Object && Number(step, "start") is { } start && Number(step, "stop") is { } stop
                && Number(step, "spacing") is { } spacing && spacing > 0 && stop > start)
            {
                var count = Math.Floor((stop - start) / spacing) + 1;
                if (count > BundleLimits.MaxGridPoints)
                    throw new Refusal(source).Field($"{at}.features.preprocessing.steps[{s}]",
                        $"resamples onto {count.ToString("0", CultureInfo.InvariantCulture)} points (limit {BundleLimits.MaxGridPoints})");
            }
            s++;
        }
    }

    private static IEnumerable<JsonElement> Members(JsonElement model) =>
        model.ValueKind == JsonValueKind.Object && model.TryGetProperty("model", out var spec) && spec.ValueKind == JsonValueKind.Object
        && spec.TryGetProperty("members", out var members) && members.ValueKind == JsonValueKind.Array ? members.EnumerateArray() : [];

    private static IEnumerable<JsonElement> Steps(JsonElement model)
    {
        foreach (var name in new[] { "features", "preprocessing", "steps" })
        {
            if (model.ValueKind != JsonValueKind.Object || !model.TryGetProperty(name, out model)) return [];
        }
        return model.ValueKind == JsonValueKind.Array ? model.EnumerateArray() : [];
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number : null;

    private static void Check(BundleManifest m, string source)
    {
        var refuse = new Refusal(source);
        if (m.Format is null) throw refuse.Missing("format");
        if (m.Format != BundleManifest.CurrentFormat)
            throw refuse.Field("format", $"{OneLine.Quote(m.Format)} is not supported (this agent reads {BundleManifest.CurrentFormat})");
        if (m.Id is null) throw refuse.Missing("id");
        if (!BundleLimits.IsSafeId(m.Id))
            throw refuse.Field("id", $"{OneLine.Quote(m.Id)} is not a safe bundle id ({BundleLimits.MaxIdLength} letters, digits, '.', '_' or '-' at most, starting with a letter or digit, no '..')");
        if (m.Name is null) throw refuse.Missing("name");
        if (m.Version is null) throw refuse.Missing("version");
        if (m.Version.Length > BundleLimits.MaxIdLength || !SemanticVersion.TryParse(m.Version, out _))
            throw refuse.Field("version", $"{OneLine.Quote(m.Version)} is not a semantic version (major.minor.patch)");
        if (m.Authors.IsDefault) throw refuse.Missing("authors");
        for (var i = 0; i < m.Authors.Length; i++)
            if (m.Authors[i] is null) throw refuse.Missing($"authors[{i}]");
        CheckFiles(m.Files, refuse);
        CheckTargets(m.Targets, refuse);
        CheckInput(m.Input, refuse);
        CheckModels(m, refuse);
    }

    private static void CheckFiles(ImmutableSortedDictionary<string, string>? files, Refusal refuse)
    {
        if (files is null) throw refuse.Missing("files");
        if (files.Count > BundleLimits.MaxFiles) throw refuse.Field("files", $"lists {files.Count} files (limit {BundleLimits.MaxFiles})");
        foreach (var (name, hash) in files)
        {
            if (!BundleLimits.IsPlainFileName(name) || name is BundleFiles.Manifest or BundleFiles.Signature)
                throw refuse.Field("files", $"{OneLine.Quote(name)} is not a plain artefact file name");
            if (hash is null) throw refuse.Missing($"files[{OneLine.Quote(name)}]");
            if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
                throw refuse.Field($"files[{OneLine.Quote(name)}]", "is not a SHA-256 (64 hexadecimal digits)");
        }
    }

    private static void CheckTargets(ImmutableArray<TargetInfo> targets, Refusal refuse)
    {
        if (targets.IsDefault) throw refuse.Missing("targets");
        if (targets.IsEmpty) throw refuse.Field("targets", "lists no targets");
        if (targets.Length > BundleLimits.MaxTargets) throw refuse.Field("targets", $"lists {targets.Length} targets (limit {BundleLimits.MaxTargets})");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Length; i++)
        {
            var target = targets[i] ?? throw refuse.Missing($"targets[{i}]");
            if (string.IsNullOrEmpty(target.Name)) throw refuse.Missing($"targets[{i}].name");
            if (!names.Add(target.Name)) throw refuse.Field($"targets[{i}].name", $"{OneLine.Quote(target.Name)} appears twice");
            if (target.Min is { } min && !double.IsFinite(min)) throw refuse.Field($"targets[{i}].min", "is not finite");
            if (target.Max is { } max && !double.IsFinite(max)) throw refuse.Field($"targets[{i}].max", "is not finite");
        }
    }

    private static void CheckInput(InputSpec? input, Refusal refuse)
    {
        if (input is null) throw refuse.Missing("input");
        if (input.XUnit is null) throw refuse.Missing("input.xUnit");
        if (InputContract.ParseXUnit(input.XUnit) is null) throw refuse.Field("input.xUnit", $"{OneLine.Quote(input.XUnit)} is not one of cm-1, um, nm, points");
        if (input.YKind is null) throw refuse.Missing("input.yKind");
        if (InputContract.ParseYKind(input.YKind) is null) throw refuse.Field("input.yKind", $"{OneLine.Quote(input.YKind)} is not a known y kind");
        if (!Enum.IsDefined(input.Interpolation)) throw refuse.Field("input.interpolation", "is not linear or cubic");
        if (input.Grid.IsDefault) throw refuse.Missing("input.grid");
        var grid = input.Grid.AsSpan();
        if (grid.Length < 2) throw refuse.Field("input.grid", "needs at least two points");
        if (grid.Length > BundleLimits.MaxGridPoints)
            throw refuse.Field("input.grid", $"has {grid.Length} points (limit {BundleLimits.MaxGridPoints})");
        var direction = Math.Sign(grid[1] - grid[0]);
        for (var i = 0; i < grid.Length; i++)
        {
            if (!double.IsFinite(grid[i])) throw refuse.Field($"input.grid[{i}]", "is not finite");
            if (i > 0 && (direction == 0 || Math.Sign(grid[i] - grid[i - 1]) != direction))
                throw refuse.Field("input.grid", $"is not strictly ascending or descending at point {i}");
        }
    }

    private static void CheckModels(BundleManifest m, Refusal refuse)
    {
        if (m.Models.IsDefault) throw refuse.Missing("models");
        if (m.Models.IsEmpty) throw refuse.Field("models", "lists no models");
        if (m.Models.Length > BundleLimits.MaxModels) throw refuse.Field("models", $"lists {m.Models.Length} models (limit {BundleLimits.MaxModels})");
        var targets = m.Targets.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var scattering = new ScatteringBudget(refuse);
        for (var i = 0; i < m.Models.Length; i++)
        {
            var at = $"models[{i}]";
            var model = m.Models[i] ?? throw refuse.Missing(at);
            if (model.Targets.IsDefault) throw refuse.Missing($"{at}.targets");
            if (model.Targets.IsEmpty) throw refuse.Field($"{at}.targets", "lists no targets");
            for (var t = 0; t < model.Targets.Length; t++)
            {
                var name = model.Targets[t] ?? throw refuse.Missing($"{at}.targets[{t}]");
                if (!targets.Contains(name)) throw refuse.Field($"{at}.targets[{t}]", $"{OneLine.Quote(name)} is not among the bundle's targets");
            }
            CheckFeatures(model.Features, $"{at}.features", m, refuse, scattering);
            CheckModel(model.Model, $"{at}.model", m, refuse);
            if (model.Model!.Kind == "ensemble")
            {
                var members = model.Model.Members ?? throw refuse.Missing($"{at}.model.members");
                if (members.IsDefault) throw refuse.Missing($"{at}.model.members");
                if (members.IsEmpty) throw refuse.Field($"{at}.model.members", "lists no members");
                if (members.Length > BundleLimits.MaxModels) throw refuse.Field($"{at}.model.members", $"lists {members.Length} members (limit {BundleLimits.MaxModels})");
                for (var j = 0; j < members.Length; j++)
                {
                    var member = members[j] ?? throw refuse.Missing($"{at}.model.members[{j}]");
                    CheckFeatures(member.Features, $"{at}.model.members[{j}].features", m, refuse, scattering);
                    CheckModel(member.Model, $"{at}.model.members[{j}].model", m, refuse);
                    if (member.Model.Kind == "ensemble" || member.Model.Members is not null)
                        throw refuse.Field($"{at}.model.members[{j}].model", "is an ensemble itself; ensembles do not nest");
                }
            }
            else if (model.Model.Members is not null) throw refuse.Field($"{at}.model.members", $"belong to an ensemble, not a {OneLine.Quote(model.Model.Kind)} model");
            if (model.Domain is null) throw refuse.Missing($"{at}.domain");
            CheckListed(model.Domain.File, $"{at}.domain.file", m.Files, refuse);
            if (!(model.Domain.Confidence is > 0 and < 1))
                throw refuse.Field($"{at}.domain.confidence", "must lie between 0 and 1, e.g. 0.99");
            if (model.Training is { } training)
            {
                if (training.Validation is null) throw refuse.Missing($"{at}.training.validation");
                if (training.Statistics is null) throw refuse.Missing($"{at}.training.statistics");
                foreach (var (target, statistics) in training.Statistics)
                    if (statistics is null) throw refuse.Missing($"{at}.training.statistics[{OneLine.Quote(target)}]");
            }
        }
    }

    private static void CheckModel(ModelSpec? model, string at, BundleManifest m, Refusal refuse)
    {
        if (model is null) throw refuse.Missing(at);
        if (string.IsNullOrEmpty(model.Kind)) throw refuse.Missing($"{at}.kind");
        CheckListed(model.File, $"{at}.file", m.Files, refuse);
        if (model.Outputs is { } outputs)
        {
            if (outputs.IsDefault) throw refuse.Missing($"{at}.outputs");
            for (var o = 0; o < outputs.Length; o++)
            {
                var output = outputs[o] ?? throw refuse.Missing($"{at}.outputs[{o}]");
                if (output.Target is null) throw refuse.Missing($"{at}.outputs[{o}].target");
                if (output.Output is null) throw refuse.Missing($"{at}.outputs[{o}].output");
                if (output.Column < 0) throw refuse.Field($"{at}.outputs[{o}].column", "is negative");
            }
        }
    }

    private static void CheckFeatures(FeatureSpec? features, string at, BundleManifest m, Refusal refuse, ScatteringBudget scattering)
    {
        if (features is null) throw refuse.Missing(at);
        if (features.Preprocessing is null) throw refuse.Missing($"{at}.preprocessing");
        var steps = features.Preprocessing.Steps;
        if (steps.Length > BundleLimits.MaxSteps) throw refuse.Field($"{at}.preprocessing.steps", $"lists {steps.Length} steps (limit {BundleLimits.MaxSteps})");
        // The preprocessed length never exceeds the grid, or the last resampling grid: only those make points.
        var length = m.Input.Grid.Length;
        for (var s = 0; s < steps.Length; s++)
        {
            var step = $"{at}.preprocessing.steps[{s}]";
            switch (steps[s])
            {
                case Resample resample when resample.Grid.Length > BundleLimits.MaxGridPoints:
                    throw refuse.Field(step, $"resamples onto {resample.Grid.Length} points (limit {BundleLimits.MaxGridPoints})");
                case Resample resample:
                    length = resample.Grid.Length;
                    break;
                case SavitzkyGolay savgol when savgol.WindowLength > BundleLimits.MaxGridPoints || savgol.PolyOrder > BundleLimits.MaxPolyOrder:
                    throw refuse.Field(step, $"window {savgol.WindowLength} or order {savgol.PolyOrder} is beyond the limits ({BundleLimits.MaxGridPoints}, {BundleLimits.MaxPolyOrder})");
                case Msc msc when msc.Reference.Length > BundleLimits.MaxGridPoints:
                    throw refuse.Field(step, $"has a reference of {msc.Reference.Length} points (limit {BundleLimits.MaxGridPoints})");
            }
        }
        if (features.Scattering is { } spec) scattering.Add(spec, length, $"{at}.scattering");
        if (features.PcaFile is { } pca) CheckListed(pca, $"{at}.pcaFile", m.Files, refuse);
    }

    private static void CheckListed(string? file, string field, ImmutableSortedDictionary<string, string> files, Refusal refuse)
    {
        if (file is null) throw refuse.Missing(field);
        if (!files.ContainsKey(file)) throw refuse.Field(field, $"{OneLine.Quote(file)} is not listed in files");
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static long Mib(long bytes) => (bytes + (1 << 20) - 1) >> 20;

    [GeneratedRegex(@"\.([^.\[]+)|\[(\d+)\]|\['((?:[^']|'')*)'\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();

    [GeneratedRegex("missing required properties including: '([^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex MissingRequired();

    /// <summary>Builds the one-line refusals of one bundle's manifest.</summary>
    private sealed class Refusal(string source)
    {
        public ModelException Missing(string field) => new(source, $"{Manifest}: {field} is missing");

        public ModelException Field(string field, string what) => new(source, $"{Manifest}: {field} {what}");
    }

    /// <summary>Sizes every scattering transform of a bundle from J, Q and T before a filter exists, against the per-model and per-bundle limits.</summary>
    private sealed class ScatteringBudget(Refusal refuse)
    {
        private readonly HashSet<ScatteringParameters> _banks = [];
        private long _bytes;

        public void Add(ScatteringSpec spec, int length, string at)
        {
            if (spec.Q.IsDefault) throw refuse.Missing($"{at}.q");
            if (spec.Q.Length is < 1 or > 2) throw refuse.Field($"{at}.q", "needs one or two values");
            if (spec.Kymatio is null) throw refuse.Missing($"{at}.kymatio");
            ScatteringParameters parameters;
            try
            {
                parameters = new ScatteringParameters(spec.J, length, spec.Q[0], spec.Q.Length > 1 ? spec.Q[1] : 1, spec.T, spec.MaxOrder);
            }
            catch (ArgumentException ex)
            {
                throw refuse.Field(at, $"is not valid: {LibraryMessage.Of(ex.Message)}");
            }
            var size = ScatteringSize.Of(parameters);
            var what = $"(J = {spec.J}, Q = {string.Join("/", spec.Q)}, {length} points)";
            if (size.Paths > BundleLimits.MaxScatteringPaths)
                throw refuse.Field(at, $"{what} makes {size.Paths} paths (limit {BundleLimits.MaxScatteringPaths})");
            if (size.OutputLength > BundleLimits.MaxDescriptors)
                throw refuse.Field(at, $"{what} makes up to {size.OutputLength} descriptors (limit {BundleLimits.MaxDescriptors})");
            if (_banks.Add(parameters)) _bytes += size.FilterBankValues * sizeof(double);
            if (_bytes > BundleLimits.MaxScatteringBytes)
                throw refuse.Field(at, $"{what} needs {Mib(_bytes)} MiB of scattering filters in this bundle (limit {Mib(BundleLimits.MaxScatteringBytes)} MiB)");
        }
    }
}
