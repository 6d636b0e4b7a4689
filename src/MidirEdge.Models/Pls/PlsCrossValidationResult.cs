namespace MidirEdge.Models.Pls;

/// <summary>Cross-validated predictions of a PLS model for every number of components, with RMSEP and component selection.</summary>
public sealed class PlsCrossValidationResult
{
    private readonly double[,] _observed;
    // _predictions[a - 1][row * Responses + response]
    private readonly double[][] _predictions;

    internal PlsCrossValidationResult(double[,] observed, double[][] predictions)
    {
        _observed = observed;
        _predictions = predictions;
    }

    /// <summary>The largest number of components cross-validated.</summary>
    public int Components => _predictions.Length;

    /// <summary>Number of observations (rows).</summary>
    public int Observations => _observed.GetLength(0);

    /// <summary>Number of responses.</summary>
    public int Responses => _observed.GetLength(1);

    /// <summary>Cross-validated predictions (observations × responses) with <paramref name="components"/> components.</summary>
    public double[,] Predictions(int components)
    {
        var source = _predictions[CheckComponents(components) - 1];
        var result = new double[Observations, Responses];
        Buffer.BlockCopy(source, 0, result, 0, source.Length * sizeof(double));
        return result;
    }

    /// <summary>Cross-validated predictions of one response with <paramref name="components"/> components.</summary>
    public double[] Predictions(int components, int response)
    {
        var source = _predictions[CheckComponents(components) - 1];
        CheckResponse(response);
        var result = new double[Observations];
        for (var i = 0; i < result.Length; i++) result[i] = source[i * Responses + response];
        return result;
    }

    /// <summary>Observed values of one response.</summary>
    public double[] Observed(int response)
    {
        CheckResponse(response);
        var result = new double[Observations];
        for (var i = 0; i < result.Length; i++) result[i] = _observed[i, response];
        return result;
    }

    /// <summary>
    /// RMSEP of one response for 0…<see cref="Components"/> components (index = number of components).
    /// Index 0 is R pls's zero-component value √(PRESS0 / n) with PRESS0 = n²·var(y)/(n − 1): the error of predicting
    /// each row by the mean of all other rows (exact for leave-one-out; R uses it for any segments).
    /// </summary>
    public double[] Rmsep(int response = 0)
    {
        var observed = Observed(response);
        int n = observed.Length;
        var rmsep = new double[Components + 1];
        var mean = observed.Average();
        var ss = 0.0;
        foreach (var v in observed) ss += (v - mean) * (v - mean);
        rmsep[0] = Math.Sqrt(ss / (n - 1) * n / (n - 1));
        for (var a = 1; a <= Components; a++)
        {
            var press = 0.0;
            var predictions = _predictions[a - 1];
            for (var i = 0; i < n; i++)
            {
                var e = predictions[i * Responses + response] - observed[i];
                press += e * e;
            }
            rmsep[a] = Math.Sqrt(press / n);
        }
        return rmsep;
    }

    /// <summary>Agreement statistics of the cross-validated predictions of one response with <paramref name="components"/> components.</summary>
    public RegressionStatistics Statistics(int components, int response = 0) =>
        RegressionStatistics.Compute(Observed(response), Predictions(components, response));

    /// <summary>
    /// Chooses the number of components by the one-sigma rule of R pls's selectNcomp(method = "onesigma"): the smallest
    /// a whose RMSEP minus its standard error is below the lowest RMSEP among 0…<paramref name="maxComponents"/>.
    /// The standard error is sd(residuals)/√n, the zero-component residuals being those of the leave-one-out mean.
    /// Returns 0 when no component improves on the mean.
    /// </summary>
    public int SelectComponents(int response = 0, int? maxComponents = null)
    {
        var max = maxComponents ?? Components;
        if (max < 1 || max > Components)
            throw new ArgumentOutOfRangeException(nameof(maxComponents), max, $"Must be between 1 and {Components}.");
        var rmsep = Rmsep(response);
        var best = 0;
        for (var a = 1; a <= max; a++)
            if (rmsep[a] < rmsep[best]) best = a;
        if (best == 0) return 0;

        var observed = Observed(response);
        int n = observed.Length;
        var total = observed.Sum();
        var residuals = new double[n];
        for (var a = 0; a <= Components; a++)
        {
            for (var i = 0; i < n; i++)
                residuals[i] = a == 0
                    ? observed[i] - (total - observed[i]) / (n - 1)
                    : _predictions[a - 1][i * Responses + response] - observed[i];
            if (rmsep[a] - StandardDeviation(residuals) / Math.Sqrt(n) < rmsep[best]) return a;
        }
        return best;
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        var ss = 0.0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / (values.Length - 1));
    }

    private int CheckComponents(int components)
    {
        if (components < 1 || components > Components)
            throw new ArgumentOutOfRangeException(nameof(components), components, $"Cross-validated for 1 to {Components} components.");
        return components;
    }

    private void CheckResponse(int response)
    {
        if (response < 0 || response >= Responses)
            throw new ArgumentOutOfRangeException(nameof(response), response, $"There are {Responses} response(s).");
    }
}
