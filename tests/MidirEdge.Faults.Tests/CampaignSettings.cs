namespace MidirEdge.Faults.Tests;

/// <summary>How much load and how many faults one run of the campaign applies.</summary>
/// <param name="Spectra">Good soil spectra dropped into the inbox; each must be published exactly under one id.</param>
/// <param name="MutatedFiles">Mutated and hostile instrument files dropped among them; each must be published, archived or quarantined.</param>
/// <param name="HostileBundles">Hostile model bundles, dropped into the running agent's models folder and given to <c>models install</c>.</param>
/// <param name="BrokerRestarts">Broker restarts, alternately SIGKILL and SIGTERM.</param>
/// <param name="AgentKills">Agent SIGKILLs, each followed by a restart.</param>
/// <param name="FullDiskSpectra">Spectra dropped while the data folder's file system is full (0: no full-disk phase).</param>
/// <param name="SerialLosses">Serial port losses (socat killed and brought back) between frames (0: no serial phase).</param>
/// <param name="Seed">Seed of every random choice, so a run repeats.</param>
public sealed record CampaignSettings(int Spectra, int MutatedFiles, int HostileBundles, int BrokerRestarts, int AgentKills,
    int FullDiskSpectra, int SerialLosses, int Seed = 20261202)
{
    /// <summary>The form <c>.ci/run</c> runs (a minute or two on 2 cores).</summary>
    public static CampaignSettings Short { get; } = new(Spectra: 400, MutatedFiles: 400, HostileBundles: 40, BrokerRestarts: 4,
        AgentKills: 2, FullDiskSpectra: 20, SerialLosses: 2);

    /// <summary>The form run on demand: at least 10,000 spectra, 20 broker restarts, 10 agent kills, 10,000 mutated files, 500 hostile bundles.</summary>
    public static CampaignSettings Long { get; } = new(Spectra: 10_000, MutatedFiles: 10_000, HostileBundles: 500, BrokerRestarts: 20,
        AgentKills: 10, FullDiskSpectra: 100, SerialLosses: 10);

    /// <summary>Faults injected into the main run: broker restarts, agent kills and hostile-bundle batches.</summary>
    public int MainFaults => BrokerRestarts + AgentKills + BundleBatches;

    /// <summary>Hostile bundles are dropped in this many batches, spread over the run.</summary>
    public int BundleBatches => HostileBundles == 0 ? 0 : Math.Max(1, Math.Min(10, HostileBundles / 20));
}
