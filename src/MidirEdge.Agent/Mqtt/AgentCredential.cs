using System.Security.Cryptography;
using System.Text;

namespace MidirEdge.Agent.Mqtt;

/// <summary>
/// The password the agent's own MQTT client presents to its embedded broker, which reserves the agent's client id and
/// topics for whoever holds it: random for each run, never configured, stored or logged.
/// </summary>
public sealed class AgentCredential
{
    private readonly byte[] _password = Encoding.ASCII.GetBytes(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));

    /// <summary>The password, for the agent's client.</summary>
    internal string Password => Encoding.ASCII.GetString(_password);

    /// <summary>Whether a CONNECT's password is this one (compared in constant time).</summary>
    internal bool Matches(ReadOnlySpan<byte> password) => CryptographicOperations.FixedTimeEquals(password, _password);
}
