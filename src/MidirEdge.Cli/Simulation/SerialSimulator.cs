using System.Text;
using MidirEdge.Agent.Adapters.Serial;
using MidirEdge.Spectra;

namespace MidirEdge.Cli.Simulation;

/// <summary>Plays the instrument side of a serial profile: sends a spectrum as frames, on a timer or in answer to the trigger command.</summary>
public static class SerialSimulator
{
    /// <summary>
    /// Opens <paramref name="portName"/> and sends <paramref name="spectrum"/> <paramref name="count"/> times (null: until cancelled):
    /// each time the profile's trigger command arrives, or every <paramref name="every"/> when the profile has no trigger.
    /// Returns the number of frames sent.
    /// </summary>
    public static async Task<int> RunAsync(string portName, SerialProfile profile, Spectrum spectrum, TimeSpan every, int? count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        if (count is <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "The count must be positive.");
        var frame = FrameEncoder.Encode(profile, spectrum);
        using var port = SerialPorts.Open(portName, profile);
        var stream = port.BaseStream;
        var sent = 0;
        try
        {
            if (profile.Trigger is { } trigger)
            {
                var command = Encoding.ASCII.GetBytes(trigger.Command);
                var pending = new List<byte>();
                var buffer = new byte[256];
                while (count is null || sent < count)
                {
                    var read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
                    if (read == 0) throw new IOException($"{portName} reported end of stream");
                    pending.AddRange(buffer.AsSpan(0, read));
                    int at;
                    while ((at = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending).IndexOf(command)) >= 0 && (count is null || sent < count))
                    {
                        pending.RemoveRange(0, at + command.Length);
                        await SendAsync(stream, frame, ct).ConfigureAwait(false);
                        sent++;
                    }
                    if (pending.Count > 4096) pending.RemoveRange(0, pending.Count - command.Length);
                }
            }
            else
            {
                while (true)
                {
                    await SendAsync(stream, frame, ct).ConfigureAwait(false);
                    sent++;
                    if (sent == count) break;
                    await Task.Delay(every, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        return sent;
    }

    private static async Task SendAsync(Stream stream, byte[] frame, CancellationToken ct)
    {
        await stream.WriteAsync(frame, ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }
}
