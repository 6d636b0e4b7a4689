using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;
using MQTTnet.Exceptions;
using MidirEdge.Agent.Domain;

namespace MidirEdge.Agent.Mqtt;

/// <summary>
/// Connects once to the configured external broker as the agent would (endpoint, TLS, credentials) under a client id of
/// its own, to tell whether it is reachable and accepts the agent: for <c>midir-edge check</c>.
/// </summary>
public static class BrokerProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Why the agent could not connect to the broker of <paramref name="mqtt"/> now, in one line naming the settings to look at; null when it could.</summary>
    public static async Task<string?> ProblemAsync(MqttOptions mqtt, MidirEdgeOptions agent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        ArgumentNullException.ThrowIfNull(agent);
        var endpoint = $"{mqtt.Host}:{mqtt.Port}";
        var clientId = $"{MqttTopics.Resolve(agent, mqtt).ClientId}-check-{Environment.ProcessId}";
        using var client = new MqttClientFactory().CreateMqttClient();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        try
        {
            var result = await client.ConnectAsync(MqttConnection.Probe(mqtt, clientId, Timeout), deadline.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success) return Refused(endpoint, result.ResultCode, result.ReasonString);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"broker {endpoint} did not answer within {Timeout.TotalSeconds:0} s ({MqttOptions.SectionName}:Host, :Port; a firewall, or TLS expected: {MqttOptions.SectionName}:UseTls)";
        }
        catch (Exception ex) when (Cause(ex) is { } cause)
        {
            return $"broker {endpoint} cannot be reached: {cause}";
        }
    }

    private static string Refused(string endpoint, MqttClientConnectResultCode code, string? reason)
    {
        var why = code switch
        {
            MqttClientConnectResultCode.BadUserNameOrPassword => $"bad user name or password ({MqttOptions.SectionName}:Username, :Password)",
            MqttClientConnectResultCode.NotAuthorized => $"not authorised ({MqttOptions.SectionName}:Username, :Password or the client certificate)",
            MqttClientConnectResultCode.ClientIdentifierNotValid => $"client id not accepted ({MqttOptions.SectionName}:ClientId)",
            _ => code.ToString(),
        };
        return $"broker {endpoint} refused the connection: {why}{(string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason})")}";
    }

    // What the user can act on: refused, unknown host, untrusted certificate; null for anything else (a bug, thrown on).
    private static string? Cause(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"nothing listens there ({MqttOptions.SectionName}:Host, :Port)";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return $"host name not found ({MqttOptions.SectionName}:Host)";
                case SocketException socket:
                    return $"{socket.SocketErrorCode} ({MqttOptions.SectionName}:Host, :Port)";
                case AuthenticationException tls:
                    return $"TLS failed: {tls.Message.TrimEnd('.')} ({MqttOptions.SectionName}:CaFile, :ClientCertificateFile)";
                case IOException io when e.InnerException is null:
                    return io.Message.TrimEnd('.');
            }
        }
        return error is MqttCommunicationException ? error.Message.TrimEnd('.') : null;
    }
}
