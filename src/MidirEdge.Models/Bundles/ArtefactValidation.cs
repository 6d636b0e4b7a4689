using System.Collections.Immutable;

namespace MidirEdge.Models.Bundles;

/// <summary>Refuses an artefact whose arrays are missing, inconsistent or beyond <see cref="BundleLimits"/> before a model is built from it.</summary>
internal static class ArtefactValidation
{
    /// <summary>Returns <paramref name="artefact"/> when every field of it is present and consistent; else refuses naming the file and field.</summary>
    public static T Check<T>(T artefact, string file, string source)
    {
        var refuse = new Refusal(file, source);
        switch (artefact)
        {
            case LinearModelArtefact linear:
                Linear(linear, refuse);
                break;
            case PcaArtefact pca:
                Pca(pca, "", refuse);
                break;
            case Learners.TreeEnsembleArtefact trees:
                if (trees.Input is null) throw refuse.Missing("input");
                if (trees.Output is null) throw refuse.Missing("output");
                if (trees.Graph is null) throw refuse.Missing("graph");
                break;
            case DomainArtefact domain:
                Pca(domain.Pca ?? throw refuse.Missing("pca"), "pca.", refuse);
                if (domain.ResidualEigenvalues.IsDefault) throw refuse.Missing("residualEigenvalues");
                if (domain.ResidualEigenvalues.Length > domain.Pca.Mean.Length)
                    throw refuse.Field("residualEigenvalues", $"has {domain.ResidualEigenvalues.Length} values for {domain.Pca.Mean.Length} features");
                break;
        }
        return artefact;
    }

    private static void Linear(LinearModelArtefact linear, Refusal refuse)
    {
        if (linear.Algorithm is null) throw refuse.Missing("algorithm");
        if (linear.Components is < 1 or > BundleLimits.MaxComponents)
            throw refuse.Field("components", $"must lie between 1 and {BundleLimits.MaxComponents}");
        Rows(linear.Coefficients, "coefficients", refuse);
        if (linear.Intercepts.IsDefault) throw refuse.Missing("intercepts");
        if (linear.Coefficients.Length > 0 && linear.Components > linear.Coefficients[0].Length)
            throw refuse.Field("components", $"{linear.Components} exceeds the {linear.Coefficients[0].Length} features");
    }

    private static void Pca(PcaArtefact pca, string at, Refusal refuse)
    {
        if (pca.Mean.IsDefault) throw refuse.Missing($"{at}mean");
        if (pca.Mean.Length > BundleLimits.MaxDescriptors)
            throw refuse.Field($"{at}mean", $"has {pca.Mean.Length} features (limit {BundleLimits.MaxDescriptors})");
        Rows(pca.Loadings, $"{at}loadings", refuse);
        for (var k = 0; k < pca.Loadings.Length; k++)
            if (pca.Loadings[k].Length != pca.Mean.Length)
                throw refuse.Field($"{at}loadings[{k}]", $"has {pca.Loadings[k].Length} values; mean has {pca.Mean.Length}");
        if (pca.Loadings.Length > pca.Mean.Length)
            throw refuse.Field($"{at}loadings", $"has {pca.Loadings.Length} components for {pca.Mean.Length} features");
        if (pca.Eigenvalues.IsDefault) throw refuse.Missing($"{at}eigenvalues");
        if (pca.Eigenvalues.Length != pca.Loadings.Length)
            throw refuse.Field($"{at}eigenvalues", $"has {pca.Eigenvalues.Length} values for {pca.Loadings.Length} components");
        if (pca.Scale is { IsDefault: true }) throw refuse.Missing($"{at}scale");
    }

    private static void Rows(ImmutableArray<ImmutableArray<double>> rows, string field, Refusal refuse)
    {
        if (rows.IsDefault) throw refuse.Missing(field);
        if (rows.Length > BundleLimits.MaxComponents) throw refuse.Field(field, $"has {rows.Length} rows (limit {BundleLimits.MaxComponents})");
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].IsDefault) throw refuse.Missing($"{field}[{i}]");
            if (rows[i].Length > BundleLimits.MaxDescriptors)
                throw refuse.Field($"{field}[{i}]", $"has {rows[i].Length} values (limit {BundleLimits.MaxDescriptors})");
        }
    }

    /// <summary>Builds the one-line refusals of one artefact.</summary>
    private sealed class Refusal(string file, string source)
    {
        public ModelException Missing(string field) => new(source, $"{file}: {field} is missing");

        public ModelException Field(string field, string what) => new(source, $"{file}: {field} {what}");
    }
}
