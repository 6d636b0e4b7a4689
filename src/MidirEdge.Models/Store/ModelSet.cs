using System.Collections.Immutable;
using MidirEdge.Models.Bundles;

namespace MidirEdge.Models.Store;

/// <summary>The bundles active at one moment; reference-counted so a hot reload never disposes a model in use.</summary>
public sealed class ModelSet
{
    private int _references = 1; // the store's own reference, dropped when the set is replaced
    private ImmutableArray<ModelBundle> _retiring = [];

    internal ModelSet(ImmutableArray<ModelBundle> bundles) => Bundles = bundles;

    /// <summary>The active bundles, one per id, ordered by id.</summary>
    public ImmutableArray<ModelBundle> Bundles { get; }

    internal bool TryAcquire()
    {
        for (var current = Volatile.Read(ref _references); current > 0; current = Volatile.Read(ref _references))
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return true;
        return false;
    }

    // The store lets go of a replaced set, handing it the bundles that left; the last holder disposes them.
    internal void Release(ImmutableArray<ModelBundle> retiring)
    {
        _retiring = retiring;
        Release();
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
            foreach (var bundle in _retiring) bundle.Dispose();
    }
}

/// <summary>A hold on the active model set; dispose it when the prediction is done.</summary>
public readonly struct ModelLease : IDisposable
{
    private readonly ModelSet _set;

    internal ModelLease(ModelSet set) => _set = set;

    /// <summary>The bundles of the leased set.</summary>
    public ImmutableArray<ModelBundle> Bundles => _set.Bundles;

    /// <inheritdoc />
    public void Dispose() => _set?.Release();
}
