namespace MidirEdge.Models.Learners;

/// <summary>Conversions between row arrays and the dense matrices the numerical code takes.</summary>
internal static class Matrices
{
    public static double[,] From(IReadOnlyList<double[]> rows)
    {
        var matrix = new double[rows.Count, rows[0].Length];
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < rows[i].Length; j++) matrix[i, j] = rows[i][j];
        return matrix;
    }

    public static T[] Select<T>(T[] source, int[] rows) => Array.ConvertAll(rows, r => source[r]);
}
