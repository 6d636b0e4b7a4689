using System.CommandLine;
using MidirEdge.Cli.Simulation;
using MidirEdge.Agent.Profiles;
using MidirEdge.Spectra;
using MidirEdge.Spectra.Formats;

namespace MidirEdge.Cli.Commands;

/// <summary><c>midir-edge simulate serial --profile P --port PORT --spectrum FILE</c>: plays a serial instrument for testing the agent.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "Serial device profile: a .json file, or a name in ./device-profiles", Required = true };
        var port = new Option<string>("--port") { Description = "Port to write to, e.g. /dev/pts/3 or COM4", Required = true };
        var spectrum = new Option<FileInfo>("--spectrum") { Description = "Spectrum file (OPUS: the ab block; JCAMP-DX, CSV: the first spectrum)", Required = true };
        var every = new Option<string>("--every") { Description = "Interval between frames when the profile has no trigger (500ms, 2s, 1m)", DefaultValueFactory = _ => "2s" };
        var count = new Option<int?>("--count") { Description = "Frames to send, then exit (default: until Ctrl+C)" };
        var serial = new Command("serial", "Send a spectrum over a serial port the way a profile's instrument does (answers its trigger command)")
            { profile, port, spectrum, every, count };
        serial.SetAction(async (parse, cancellationToken) =>
        {
            if (!Durations.TryParse(parse.GetValue(every), out var interval) || interval == TimeSpan.Zero)
                return CliErrors.Fail("simulate", $"--every must be a positive duration such as 500ms or 2s (got '{parse.GetValue(every)}').", CliErrors.UsageError);
            if (parse.GetValue(count) is <= 0)
                return CliErrors.Fail("simulate", "--count must be positive.", CliErrors.UsageError);
            SerialProfile serialProfile;
            Spectrum data;
            try
            {
                var loaded = DeviceProfiles.LoadNamed(parse.GetRequiredValue(profile), "device-profiles");
                serialProfile = loaded.Serial
                    ?? throw new DeviceProfileException(loaded.File, "adapter", "is not \"serial\"; only serial profiles can be simulated");
                data = ReadSpectrum(parse.GetRequiredValue(spectrum).FullName, serialProfile);
            }
            catch (DeviceProfileException ex) { return CliErrors.Fail("simulate", ex.Message, CliErrors.UsageError); }
            catch (Exception ex) when (ex is SpectrumFormatException or IOException or UnauthorizedAccessException) { return CliErrors.Fail("simulate", ex); }
            try
            {
                var portName = parse.GetRequiredValue(port);
                Console.Error.WriteLine($"midir-edge simulate: sending a {data.Length}-point spectrum on {portName} " +
                    (serialProfile.Trigger is { } t ? $"when asked ({t.Command.Trim()})" : $"every {interval.TotalSeconds:0.###} s"));
                var sent = await SerialSimulator.RunAsync(portName, serialProfile, data, interval, parse.GetValue(count), cancellationToken);
                Console.Error.WriteLine($"midir-edge simulate: sent {sent} frame(s)");
                return 0;
            }
            catch (ArgumentException ex) { return CliErrors.Fail("simulate", ex.Message, CliErrors.UsageError); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException) { return CliErrors.Fail("simulate", ex); }
        });
        return new Command("simulate", "Play an instrument, for testing capture") { serial };
    }

    private static Spectrum ReadSpectrum(string path, SerialProfile profile)
    {
        var content = SpectrumFile.Read(File.ReadAllBytes(path), path);
        return content.Spectra.FirstOrDefault(s => s.Metadata.Block == "ab")
            ?? content.Spectra.FirstOrDefault(s => s.YKind == profile.YKind)
            ?? content.Spectra.FirstOrDefault()
            ?? throw new SpectrumFormatException(path, "holds no spectrum");
    }
}
