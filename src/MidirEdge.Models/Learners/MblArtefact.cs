using System.Collections.Immutable;
using MidirEdge.Models.Bundles;

namespace MidirEdge.Models.Learners;

/// <summary>A memory-based learning model as stored in a bundle (<c>*.mbl.json</c>): the calibration set and how to search and fit it.</summary>
/// <param name="Space">PCA of the calibration inputs; neighbours are nearest by Mahalanobis distance in its score space.</param>
/// <param name="Calibration">Calibration inputs, one row per spectrum (at most <see cref="MblModel.MaxCalibrationRows"/>).</param>
/// <param name="Targets">Calibration values of the target (model scale), one per row.</param>
/// <param name="Neighbours">Neighbours k each prediction fits its local model on.</param>
/// <param name="MinComponents">Fewest components of the local PLS models averaged.</param>
/// <param name="MaxComponents">Most components of the local PLS models averaged.</param>
public sealed record MblArtefact(PcaArtefact Space, ImmutableArray<ImmutableArray<double>> Calibration, ImmutableArray<double> Targets,
    int Neighbours, int MinComponents, int MaxComponents);
