using System.Diagnostics;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>A real, small tmpfs mounted on a fresh directory (needs root); unmounted on dispose.</summary>
public sealed class Tmpfs : IDisposable
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    private Tmpfs(string path) => Path = path;

    /// <summary>Mount point.</summary>
    public string Path { get; }

    /// <summary>Why no tmpfs can be mounted here, or null when it can (tried once per run).</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB on a new temporary directory.</summary>
    public static Tmpfs Mount(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("midir-tmpfs-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (code != 0) throw new InvalidOperationException($"mount failed ({code}): {error}");
        return new Tmpfs(path);
    }

    /// <summary>Writes a filler file until the file system has at most <paramref name="leaveBytes"/> bytes free.</summary>
    public string Fill(long leaveBytes)
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var free = new DriveInfo(Path).AvailableFreeSpace;
        using var stream = new FileStream(filler, FileMode.Create);
        var block = new byte[64 * 1024];
        for (var left = free - leaveBytes; left > 0; left -= block.Length)
            stream.Write(block, 0, (int)Math.Min(block.Length, left));
        return filler;
    }

    /// <summary>Unmounts and deletes the mount point.</summary>
    public void Dispose()
    {
        Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }

    private static string? Probe()
    {
        try
        {
            using var probe = Mount(1);
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return ex.Message;
        }
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error.Trim());
    }
}
