namespace MidirEdge.Scattering;

/// <summary>
/// Metadata of one scattering path (one row of the output), as Kymatio's <c>meta()</c> gives it:
/// the order and, per order, the filter index n, its subsampling j, centre frequency xi and width sigma.
/// </summary>
/// <param name="Order">0, 1 or 2.</param>
/// <param name="N">Filter index at each order (length = Order).</param>
/// <param name="J">Maximal dyadic subsampling of each filter.</param>
/// <param name="Xi">Centre frequency of each filter (cycles per sample).</param>
/// <param name="Sigma">Frequency width of each filter.</param>
/// <param name="Parent">Row of the order-1 path an order-2 path descends from; −1 otherwise.</param>
public sealed record ScatteringPath(int Order, IReadOnlyList<int> N, IReadOnlyList<int> J,
    IReadOnlyList<double> Xi, IReadOnlyList<double> Sigma, int Parent);
