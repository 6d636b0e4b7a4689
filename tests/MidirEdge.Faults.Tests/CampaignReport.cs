using System.Globalization;
using System.Text;

namespace MidirEdge.Faults.Tests;

/// <summary>What one run of the campaign applied and what it found; <see cref="Passed"/> says whether every guarantee held.</summary>
internal sealed class CampaignReport(CampaignSettings settings)
{
    private readonly List<string> _problems = [];

    public CampaignSettings Settings { get; } = settings;

    // Faults applied.
    public int BrokerKills { get; set; }
    public int BrokerTerminations { get; set; }
    public int AgentKills { get; set; }
    public int BundleBatches { get; set; }
    public int FullDisks { get; set; }
    public string FullDiskNote { get; set; } = "not run";
    public int SerialLosses { get; set; }
    public int FullDiskUnreported { get; set; }

    // Load and outcomes.
    public int GoodSpectra { get; set; }
    public int GoodPublished { get; set; }
    public int MutatedFiles { get; set; }
    public int Archived { get; set; }
    public int Quarantined { get; set; }
    public int Unaccounted { get; set; }
    public int BadReasons { get; set; }
    public int HostileBundles { get; set; }
    public int BundlesServed { get; set; }
    public int InstallsRefusedInOneLine { get; set; }
    public int InstallViolations { get; set; }
    public int EscapedWrites { get; set; }
    public int SerialFrames { get; set; }
    public int SerialFramesLostWhilePortGone { get; set; }

    // Guarantees.
    public int Lost { get; set; }
    public int LostInBroker { get; set; }
    public int Duplicated { get; set; }
    public int Repeats { get; set; }
    public int Crashes { get; set; }
    public int Hangs { get; set; }
    public long PeakRss { get; set; }
    public TimeSpan Elapsed { get; set; }

    /// <summary>Problems found, one line each, for the failure message.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>
    /// True when nothing was lost, duplicated, crashed or hung, every bad file and bundle was refused with a one-line reason,
    /// and a full disk showed in /healthz.
    /// </summary>
    public bool Passed => Lost == 0 && Duplicated == 0 && Crashes == 0 && Hangs == 0 && Unaccounted == 0 && BadReasons == 0 &&
                          BundlesServed == 0 && InstallViolations == 0 && EscapedWrites == 0 && FullDiskUnreported == 0;

    /// <summary>Records a problem (a crash, a hang, a stall) with what the campaign saw.</summary>
    public void Problem(string what)
    {
        lock (_problems) _problems.Add(what);
    }

    /// <summary>The table of the README's reliability section, and the details under it.</summary>
    public override string ToString()
    {
        var load = $"{GoodSpectra:N0} spectra + {MutatedFiles:N0} mutated files + {HostileBundles:N0} hostile bundles" +
                   (FullDisks > 0 ? $" + {Settings.FullDiskSpectra:N0} spectra on a full disk" : "") +
                   (SerialFrames > 0 ? $" + {SerialFrames:N0} serial frames" : "");
        var faults = $"{BrokerKills + BrokerTerminations} broker restarts ({BrokerKills} SIGKILL, {BrokerTerminations} SIGTERM), " +
                     $"{AgentKills} agent SIGKILLs, {BundleBatches} hostile-bundle batches, {FullDisks} full disk, {SerialLosses} serial port losses";
        var text = new StringBuilder()
            .AppendLine("| load | faults | lost | duplicated | crashes | hangs | peak memory |")
            .AppendLine("|---|---|---|---|---|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| {load} | {faults} | {Lost} | {Duplicated} | {Crashes} | {Hangs} | {PeakRss / 1048576.0:F0} MB |")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- good spectra published: {GoodPublished:N0} of {GoodSpectra:N0}; results repeated under the same id (at-least-once, de-duplicated by id): {Repeats:N0}")
            .AppendLine(CultureInfo.InvariantCulture, $"- lost by the agent: {Lost}; acknowledged by Mosquitto, then lost inside it when it was killed with SIGKILL (it acknowledges before it saves): {LostInBroker}")
            .AppendLine(CultureInfo.InvariantCulture, $"- mutated files: {Archived:N0} archived (published or duplicate), {Quarantined:N0} quarantined, {Unaccounted:N0} left unaccounted; quarantined files without a one-line printable reason: {BadReasons}")
            .AppendLine(CultureInfo.InvariantCulture, $"- hostile bundles: {BundlesServed} served by the running agent; `models install` refused {InstallsRefusedInOneLine} of {HostileBundles} with one line and exit 1 ({InstallViolations} otherwise); files written outside the models folder: {EscapedWrites}")
            .AppendLine(CultureInfo.InvariantCulture, $"- full disk: {FullDiskNote}")
            .AppendLine(CultureInfo.InvariantCulture, $"- serial: {SerialFrames} frames, {SerialFramesLostWhilePortGone} sent while the port was being reopened (lost by design, see the serial adapter's README)")
            .AppendLine(CultureInfo.InvariantCulture, $"- elapsed: {Elapsed.TotalSeconds:F0} s; verdict: {(Passed ? "PASS" : "FAIL")}");
        foreach (var problem in _problems) text.AppendLine("- problem: " + problem);
        return text.ToString();
    }
}
