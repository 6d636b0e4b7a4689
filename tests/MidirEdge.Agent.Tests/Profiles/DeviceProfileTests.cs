using System.IO.Ports;
using Microsoft.Extensions.FileSystemGlobbing;
using MidirEdge.Agent.Adapters.FileWatch;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Agent.Profiles;
using MidirEdge.Spectra;
using MidirEdge.Tests;

namespace MidirEdge.Agent.Tests.Profiles;

public sealed class DeviceProfileTests
{
    /// <summary>The repository's <c>device-profiles</c> folder.</summary>
    public static string ShippedFolder => Path.GetFullPath(Path.Combine(Fixtures.Root, "..", "..", "device-profiles"));

    [Fact]
    public void Every_shipped_profile_loads()
    {
        var profiles = DeviceProfiles.LoadAll(ShippedFolder);
        Assert.Equal(
            new[] { "bruker-opus-folder", "generic-ascii-serial", "generic-binary-serial", "generic-csv-folder", "thermo-omnic-jcamp-folder" },
            profiles.Keys.ToArray());
        foreach (var p in profiles.Values)
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Description));
            Assert.Contains(p.Adapter, new[] { FileWatchOptions.AdapterKind, SerialOptions.AdapterKind });
            ReadSection(p);
        }
        var binary = SerialProfile.From(profiles["generic-binary-serial"]);
        Assert.Equal(SerialProtocol.BinaryFrames, binary.Protocol);
        Assert.Equal(new byte[] { 0xA5, 0x5A }, binary.BinaryFrames!.Sync);
        Assert.Equal(FrameCrc.Crc16Ccitt, binary.BinaryFrames.Crc);
        Assert.Equal(new SerialTrigger("MEAS\r\n", TimeSpan.FromSeconds(30)), binary.Trigger);
        var ascii = SerialProfile.From(profiles["generic-ascii-serial"]);
        Assert.Equal((115200, Parity.None, 8, StopBits.One, Handshake.None), (ascii.BaudRate, ascii.Parity, ascii.DataBits, ascii.StopBits, ascii.Handshake));
        Assert.Equal(YKind.Absorbance, ascii.YKind);
        Assert.Equal(XUnit.Wavenumber, ascii.XUnit);
        Assert.Equal("sampleName", ascii.AsciiLines!.Header["SAMPLE"]);
    }

    [Theory]
    [InlineData("sample.0", true)]
    [InlineData("sample.12", true)]
    [InlineData("sub/dir/sample.001", true)]
    [InlineData("sample.txt", false)]
    [InlineData("sample.0.tmp", false)]
    public void Bruker_profile_globs_select_opus_files(string file, bool selected)
    {
        var options = new FileWatchOptions { Path = "/inbox" };
        options.Apply(FileWatchProfile.From(DeviceProfiles.LoadAll(ShippedFolder)["bruker-opus-folder"]));
        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(options.Include);
        matcher.AddExcludePatterns(options.Exclude);
        Assert.Equal(selected, matcher.Match(file).HasMatches);
        Assert.Equal(TimeSpan.FromSeconds(2), options.StableFor);
    }

    [Theory]
    [InlineData("""{"description":"d","adapter":"file-watch","fileWatch":{"include":["*.0"]},"colour":"red"}""", "colour", "is not a known key")]
    [InlineData("""{"description":"d","adapter":"file-watch","fileWatch":{"include":["*.0"],"stablefor":"2s"}}""", "fileWatch.stablefor", "is not a known key")]
    [InlineData("""{"adapter":"file-watch","fileWatch":{"include":["*.0"]}}""", "description", "is required")]
    [InlineData("""{"description":"d","adapter":"ftp"}""", "ftp", "is required")]
    [InlineData("""{"description":"d","adapter":"serial","fileWatch":{"include":["*.0"]}}""", "serial", "is required")]
    [InlineData("""{"description":"d","adapter":"file-watch"}""", "fileWatch", "is required")]
    [InlineData("""{"description":"d","adapter":"file-watch","fileWatch":{"include":[]}}""", "fileWatch.include", "at least one glob")]
    [InlineData("""{"description":"d","adapter":"serial","serial":{"protocol":"ascii-lines","yKind":"absorbance","xUnit":"cm-1","parity":"sometimes","asciiLines":{"startMarker":"B","endMarker":"E"}}}""", "serial.parity", "must be one of \"none\"")]
    [InlineData("""{"description":"d","adapter":"serial","serial":{"protocol":"ascii-lines","yKind":"absorbance","xUnit":"cm-1","baudRate":"fast","asciiLines":{"startMarker":"B","endMarker":"E"}}}""", "serial.baudRate", "must be a whole number")]
    [InlineData("""{"description":"d","adapter":"serial","serial":{"protocol":"binary-frames","yKind":"absorbance","xUnit":"cm-1","binaryFrames":{"sync":"A55A"}}}""", "serial.axis", "is required because the data carry y values only")]
    [InlineData("""{"description":"d","adapter":"serial","serial":{"protocol":"binary-frames","yKind":"absorbance","xUnit":"cm-1","axis":{"first":1,"last":2},"binaryFrames":{"sync":"XYZ"}}}""", "serial.binaryFrames.sync", "must be hex bytes")]
    [InlineData("""{"description":"d","adapter":"serial","serial":{"protocol":"ascii-lines","yKind":"absorbance","xUnit":"cm-1","asciiLines":{"startMarker":"B","endMarker":"E","header":{"S":"sample"}}}}""", "serial.asciiLines.header.S", "must be one of \"sampleName\"")]
    [InlineData("""{"description":"d","adapter":"serial","serial":{"protocol":"ascii-lines","yKind":"absorbance","xUnit":"cm-1","frameTimeout":"soon","asciiLines":{"startMarker":"B","endMarker":"E"}}}""", "serial.frameTimeout", "must be a positive duration")]
    public void Broken_profile_names_the_file_and_the_key(string json, string key, string reason)
    {
        using var dir = new Infrastructure.TempDirectory("profiles");
        var file = Path.Combine(dir.Path, "broken.json");
        File.WriteAllText(file, json);
        // The profile's common keys are checked as it loads, the kind's section as the kind reads it.
        var error = Assert.Throws<DeviceProfileException>(() => ReadSection(DeviceProfiles.LoadAll(dir.Path)["broken"]));
        Assert.Equal(file, error.File);
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Reason);
        Assert.StartsWith($"{file}: {key}: ", error.Message);
    }

    /// <summary>A kind reading a profile for another kind is refused, naming both.</summary>
    [Fact]
    public void A_profile_for_another_kind_is_refused_by_the_kind()
    {
        var folder = DeviceProfiles.LoadAll(ShippedFolder)["bruker-opus-folder"];
        var error = Assert.Throws<DeviceProfileException>(() => SerialProfile.From(folder));
        Assert.Equal(("adapter", "is \"file-watch\", not \"serial\""), (error.Key, error.Reason));
    }

    [Fact]
    public void Invalid_json_names_the_file_and_line()
    {
        using var dir = new Infrastructure.TempDirectory("profiles");
        var file = Path.Combine(dir.Path, "bad.json");
        File.WriteAllText(file, "{\n  \"description\": \"d\",\n  \"adapter\": \n}");
        var error = Assert.Throws<DeviceProfileException>(() => DeviceProfile.Load(file));
        Assert.Contains(file, error.Message);
        Assert.Contains("line", error.Message);
    }

    [Fact]
    public void A_profile_is_found_by_name_or_by_path()
    {
        var byName = DeviceProfiles.LoadNamed("generic-ascii-serial", ShippedFolder);
        var byPath = DeviceProfiles.LoadNamed(Path.Combine(ShippedFolder, "generic-ascii-serial.json"), "elsewhere");
        Assert.Equal(byName.File, byPath.File);
        var missing = Assert.Throws<DeviceProfileException>(() => DeviceProfiles.LoadNamed("no-such-device", ShippedFolder));
        Assert.Contains("no-such-device", missing.Message);
    }

    // The section of the kind the profile is for, read as that kind's adapter reads it.
    private static object ReadSection(DeviceProfile profile) =>
        profile.Adapter == SerialOptions.AdapterKind ? SerialProfile.From(profile) : FileWatchProfile.From(profile);
}
