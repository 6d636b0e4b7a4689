using System.IO.Ports;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>Opens a port with a profile's line settings.</summary>
public static class SerialPorts
{
    /// <summary>Opens <paramref name="portName"/> with <paramref name="profile"/>'s baud rate, parity, data and stop bits and handshake.</summary>
    public static SerialPort Open(string portName, SerialProfile profile)
    {
        // .NET reports a missing device node on Unix as "Access to the port is denied"; say what is wrong instead.
        if (!OperatingSystem.IsWindows() && !File.Exists(portName))
            throw new FileNotFoundException($"serial device {portName} does not exist (unplugged, or a wrong name)", portName);
        var port = new SerialPort(portName, profile.BaudRate, profile.Parity, profile.DataBits, profile.StopBits)
        {
            Handshake = profile.Handshake,
            ReadBufferSize = 64 * 1024,
            WriteTimeout = 5000,
        };
        try
        {
            port.Open();
            return port;
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }
}
