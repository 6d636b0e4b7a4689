using MathNet.Numerics.LinearAlgebra;

namespace MidirEdge.Models.Pls;

/// <summary>Projection R (predictors × components), X loadings P and Y loadings Q (responses × components) of a centred fit.</summary>
internal sealed record PlsFactors(Matrix<double> Projection, Matrix<double> XLoadings, Matrix<double> YLoadings);
