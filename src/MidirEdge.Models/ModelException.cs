using MidirEdge.Spectra;

namespace MidirEdge.Models;

/// <summary>A model could not be loaded or run; says which model and why, on one line (control characters escaped).</summary>
public sealed class ModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="model">Model file or name.</param>
    /// <param name="reason">Why the model could not be loaded or run.</param>
    /// <param name="inner">Underlying exception, if any.</param>
    public ModelException(string model, string reason, Exception? inner = null)
        : base($"{OneLine.Of(model)}: {OneLine.Of(reason)}", inner)
    {
        Model = model;
        Reason = OneLine.Of(reason);
    }

    /// <summary>Model file or name.</summary>
    public string Model { get; }

    /// <summary>Why the model could not be loaded or run.</summary>
    public string Reason { get; }
}
