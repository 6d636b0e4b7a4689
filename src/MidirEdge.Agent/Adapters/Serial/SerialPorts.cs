using System.IO.Ports;
using MidirEdge.Agent.Profiles;

namespace MidirEdge.Agent.Adapters.Serial;

/// <summary>Opens a port with a profile's line settings.</summary>
internal static class SerialPorts
{
    public static SerialPort Open(string portName, SerialProfile profile)
    {
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
