using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MidirEdge.Agent.Tests.Infrastructure;

/// <summary>A throw-away CA with a server certificate for 127.0.0.1 and a client certificate, written as PEM files.</summary>
public sealed class TestCertificates
{
    /// <summary>Creates the certificates in <paramref name="directory"/>.</summary>
    public TestCertificates(string directory)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=midir test ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));

        CaFile = Write(directory, "ca.pem", ca.ExportCertificatePem());
        (ServerCertificateFile, ServerKeyFile) = Issue(directory, "server", ca, caKey, serverAuth: true);
        (ClientCertificateFile, ClientKeyFile) = Issue(directory, "client", ca, caKey, serverAuth: false);
    }

    /// <summary>PEM of the CA certificate.</summary>
    public string CaFile { get; }

    /// <summary>PEM of the broker certificate (SAN IP 127.0.0.1).</summary>
    public string ServerCertificateFile { get; }

    /// <summary>PEM private key of the broker certificate.</summary>
    public string ServerKeyFile { get; }

    /// <summary>PEM of the client certificate.</summary>
    public string ClientCertificateFile { get; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string ClientKeyFile { get; }

    private static (string Certificate, string Key) Issue(string directory, string name, X509Certificate2 ca, RSA caKey, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={(serverAuth ? "127.0.0.1" : "midir-agent")}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var generator = X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1);
        using var certificate = request.Create(ca.SubjectName, generator, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        return (Write(directory, $"{name}.pem", certificate.ExportCertificatePem()),
                Write(directory, $"{name}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    private static string Write(string directory, string name, string pem)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, pem);
        return path;
    }
}
