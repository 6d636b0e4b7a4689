using System.Diagnostics;

namespace MidirEdge.Faults.Tests;

/// <summary>A small tmpfs mounted for the full-disk phase, where the machine allows <c>mount</c> (root, or a user namespace).</summary>
internal static class Tmpfs
{
    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> on <paramref name="folder"/>; false, with the reason, where that is not allowed.</summary>
    public static bool TryMount(string folder, long bytes, out string why)
    {
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", folder);
        why = code == 0 ? "" : $"mount -t tmpfs failed ({output.Trim()})";
        return code == 0;
    }

    /// <summary>Unmounts the tmpfs on <paramref name="folder"/>.</summary>
    public static void Unmount(string folder) => Run("umount", "-l", folder);

    /// <summary>Writes <paramref name="path"/> until the file system has no space left.</summary>
    public static void Fill(string path)
    {
        var block = new byte[1 << 20];
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            // Large writes until ENOSPC, then small ones for the last few blocks.
            foreach (var size in new[] { block.Length, 4096, 512 })
            {
                try { while (true) stream.Write(block, 0, size); }
                catch (IOException) { }
            }
        }
        finally
        {
            try { stream.Dispose(); } catch (IOException) { }
        }
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
