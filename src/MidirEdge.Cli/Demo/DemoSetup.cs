namespace MidirEdge.Cli.Demo;

/// <summary>
/// A throw-away agent installation for <c>run --demo</c>: temporary folders, the bundled demo models, and settings. Disposing
/// it deletes the folders, unless they are to be kept (<c>--keep</c>).
/// </summary>
internal sealed class DemoSetup : IDisposable
{
    private readonly bool _keep;

    private DemoSetup(string root, bool keep)
    {
        Root = root;
        _keep = keep;
        Inbox = Directory.CreateDirectory(Path.Combine(root, "inbox")).FullName;
        Models = Directory.CreateDirectory(Path.Combine(root, "models")).FullName;
        DataDir = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
    }

    /// <summary>Folder holding everything the demo writes.</summary>
    public string Root { get; }

    /// <summary>Folder the file-watch adapter watches.</summary>
    public string Inbox { get; }

    /// <summary>Model store folder.</summary>
    public string Models { get; }

    /// <summary>Cache folder.</summary>
    public string DataDir { get; }

    /// <summary>Spectra shipped for the demo, replayed into the inbox.</summary>
    public static string[] Spectra => Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "demo", "spectra")).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Creates the folders and copies the demo models in; with <paramref name="keep"/> they outlive the demo.</summary>
    public static DemoSetup Create(bool keep)
    {
        var setup = new DemoSetup(Directory.CreateTempSubdirectory("midir-edge-demo-").FullName, keep);
        foreach (var bundle in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "demo", "models"), "*.zip"))
            File.Copy(bundle, Path.Combine(setup.Models, Path.GetFileName(bundle)));
        return setup;
    }

    /// <summary>Settings that point the agent at the demo folders; the command line can still override them.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Logging:LogLevel:MidirEdge", "Warning"),
        new("MidirEdge:Site", "demo"),
        new("MidirEdge:Instrument", "alpha"),
        new("MidirEdge:DataDir", DataDir),
        new("MidirEdge:Models:Path", Models),
        new("MidirEdge:Adapters:FileWatch:Path", Inbox),
        new("MidirEdge:Adapters:FileWatch:Include:0", "*"),
        new("MidirEdge:Adapters:FileWatch:StableFor", "00:00:00.300"),
        new("MidirEdge:Adapters:FileWatch:RescanInterval", "00:00:05"),
    ];

    /// <summary>Copies the demo spectra into the inbox, one every <paramref name="interval"/>, as an instrument would write them.</summary>
    public async Task ReplayAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        foreach (var spectrum in Spectra)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            var partial = Path.Combine(Root, Path.GetFileName(spectrum));
            File.Copy(spectrum, partial, overwrite: true);
            File.Move(partial, Path.Combine(Inbox, Path.GetFileName(spectrum)), overwrite: true);
        }
    }

    /// <summary>Deletes the demo's folders, or says where they were kept.</summary>
    public void Dispose()
    {
        if (_keep)
        {
            Console.WriteLine($"Demo folders kept in {Root}");
            return;
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"midir-edge run: could not delete the demo folder {Root}: {ex.Message}");
        }
    }
}
