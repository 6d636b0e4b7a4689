using MathNet.Numerics.LinearAlgebra;

namespace MidirEdge.Models.Pls;

/// <summary>Cross-validates PLS models over explicit segments (as R pls mvrCv): each segment is predicted by a model fitted to all other rows.</summary>
public static class PlsCrossValidation
{
    /// <summary>Cross-validates a one-response PLS model for 1…<paramref name="components"/> components.</summary>
    public static PlsCrossValidationResult Run(double[,] x, double[] y, int components, IReadOnlyList<int[]> segments,
        PlsAlgorithm algorithm = PlsAlgorithm.Kernel, bool scale = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Run(Matrix<double>.Build.DenseOfArray(x), Matrix<double>.Build.DenseOfColumnArrays(y), components, segments, algorithm, scale);
    }

    /// <summary>Cross-validates a PLS model (observations × predictors X, observations × responses Y) for 1…<paramref name="components"/> components.</summary>
    public static PlsCrossValidationResult Run(double[,] x, double[,] y, int components, IReadOnlyList<int[]> segments,
        PlsAlgorithm algorithm = PlsAlgorithm.Kernel, bool scale = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Run(Matrix<double>.Build.DenseOfArray(x), Matrix<double>.Build.DenseOfArray(y), components, segments, algorithm, scale);
    }

    /// <summary>Cross-validates a PLS model; the segments must partition the rows (every row in exactly one segment).</summary>
    /// <remarks>With <paramref name="scale"/>, each training part is scaled by its own standard deviations, as in R.</remarks>
    public static PlsCrossValidationResult Run(Matrix<double> x, Matrix<double> y, int components, IReadOnlyList<int[]> segments,
        PlsAlgorithm algorithm = PlsAlgorithm.Kernel, bool scale = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(segments);
        int n = x.RowCount, p = x.ColumnCount, m = y.ColumnCount;
        if (y.RowCount != n)
            throw new ArgumentException($"X has {n} rows but Y has {y.RowCount}.", nameof(y));
        var longest = CheckPartition(segments, n);
        var limit = Math.Min(n - longest - 1, p);
        if (components < 1 || components > limit)
            throw new ArgumentOutOfRangeException(nameof(components), components,
                $"With a largest segment of {longest} rows the number of components must be between 1 and {limit}.");

        var predictions = new double[components][];
        for (var a = 0; a < components; a++) predictions[a] = new double[n * m];
        var held = new bool[n];
        var row = new double[p];
        var prediction = new double[m];
        foreach (var segment in segments)
        {
            Array.Clear(held);
            foreach (var i in segment) held[i] = true;
            var train = new int[n - segment.Length];
            for (int i = 0, k = 0; i < n; i++)
                if (!held[i]) train[k++] = i;

            var model = PlsRegression.Fit(Rows(x, train), Rows(y, train), components, algorithm, scale);
            foreach (var i in segment)
            {
                for (var k = 0; k < p; k++) row[k] = x[i, k];
                for (var a = 1; a <= components; a++)
                {
                    model.Predict(row, prediction, a);
                    prediction.CopyTo(predictions[a - 1], i * m);
                }
            }
        }
        return new PlsCrossValidationResult(y.ToArray(), predictions);
    }

    private static int CheckPartition(IReadOnlyList<int[]> segments, int observations)
    {
        var seen = new bool[observations];
        var count = 0;
        var longest = 0;
        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s] ?? throw new ArgumentException($"Segment {s} is null.", nameof(segments));
            if (segment.Length == 0) throw new ArgumentException($"Segment {s} is empty.", nameof(segments));
            foreach (var i in segment)
            {
                if (i < 0 || i >= observations)
                    throw new ArgumentException($"Segment {s} holds row {i}, outside 0…{observations - 1}.", nameof(segments));
                if (seen[i]) throw new ArgumentException($"Row {i} appears in more than one segment.", nameof(segments));
                seen[i] = true;
                count++;
            }
            longest = Math.Max(longest, segment.Length);
        }
        if (count != observations)
            throw new ArgumentException($"The segments cover {count} of {observations} rows; every row must be held out once.", nameof(segments));
        return longest;
    }

    private static Matrix<double> Rows(Matrix<double> matrix, int[] rows) =>
        Matrix<double>.Build.Dense(rows.Length, matrix.ColumnCount, (i, j) => matrix[rows[i], j]);
}
