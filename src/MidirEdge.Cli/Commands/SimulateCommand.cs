using System.CommandLine;
using MidirEdge.Cli.Failures;
using MidirEdge.Cli.Simulation;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Agent.Profiles;
using MidirEdge.Spectra;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge simulate serial --profile P --port PORT --spectrum FILE</c>: plays a serial instrument for testing the agent.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile")
            { Description = "Serial device profile: a .json file, or a name in device-profiles/ beside the binary or in the working folder", Required = true };
        var port = new Option<string>("--port") { Description = "Port to write to, e.g. /dev/pts/3 or COM4", Required = true };
        var spectrum = new Option<FileInfo>("--spectrum") { Description = "Spectrum file (OPUS: the ab block; JCAMP-DX, CSV: the first spectrum)", Required = true }.ExistingFile();
        var every = new Option<string>("--every") { Description = "Interval between frames when the profile has no trigger (500ms, 2s, 1m)", DefaultValueFactory = _ => "2s" };
        var count = new Option<int?>("--count") { Description = "Frames to send, then exit (default: until Ctrl+C)" };
        var serial = new Command("serial", "Send a spectrum over a serial port the way a profile's instrument does (answers its trigger command)")
            { profile, port, spectrum, every, count };
        serial.SetAction(async (parse, cancellationToken) =>
        {
            if (!Durations.TryParse(parse.GetValue(every), out var interval) || interval == TimeSpan.Zero)
                throw new UsageException($"--every must be a positive duration such as 500ms or 2s (got '{parse.GetValue(every)}').");
            if (parse.GetValue(count) is <= 0) throw new UsageException("--count must be positive.");
            var loaded = DeviceProfiles.LoadNamed(parse.GetRequiredValue(profile));
            var serialProfile = loaded.Adapter == SerialOptions.AdapterKind ? SerialProfile.From(loaded)
                : throw new DeviceProfileException(loaded.File, "adapter", "is not \"serial\"; only serial profiles can be simulated");
            var data = await ReadSpectrumAsync(parse.GetRequiredValue(spectrum).FullName, serialProfile, cancellationToken);
            var portName = parse.GetRequiredValue(port);
            // Progress on stdout: stderr carries only a failure, in one line.
            Console.WriteLine($"midir-edge simulate: sending a {data.Length}-point spectrum on {portName} " +
                (serialProfile.Trigger is { } t ? $"when asked ({t.Command.Trim()})" : $"every {interval.TotalSeconds:0.###} s"));
            var sent = await SerialSimulator.RunAsync(portName, serialProfile, data, interval, parse.GetValue(count), cancellationToken);
            Console.WriteLine($"midir-edge simulate: sent {sent} frame(s)");
            return ExitCodes.Success;
        });
        return new Command("simulate", "Play an instrument, for testing capture") { serial };
    }

    private static async Task<Spectrum> ReadSpectrumAsync(string path, SerialProfile profile, CancellationToken cancellationToken)
    {
        var content = await SpectrumFiles.ReadAsync(path, cancellationToken);
        return content.Spectra.FirstOrDefault(s => s.Metadata.Block == "ab")
            ?? content.Spectra.FirstOrDefault(s => s.YKind == profile.YKind)
            ?? content.Spectra.FirstOrDefault()
            ?? throw new SpectrumFormatException(path, "holds no spectrum");
    }
}
