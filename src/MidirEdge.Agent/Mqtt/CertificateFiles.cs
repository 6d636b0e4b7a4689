using System.Security.Cryptography.X509Certificates;

namespace MidirEdge.Agent.Mqtt;

/// <summary>Loads a certificate with its private key from a PEM certificate and key pair or from a PKCS#12 file.</summary>
internal static class CertificateFiles
{
    /// <summary>The certificate of <paramref name="certificateFile"/> with its key, in a form SslStream accepts on every platform.</summary>
    public static X509Certificate2 Load(string certificateFile, string keyFile, string password)
    {
        if (keyFile.Length > 0)
        {
            // SslStream needs a persisted key on some platforms; re-importing as PKCS#12 gives one everywhere.
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        return X509CertificateLoader.LoadPkcs12FromFile(certificateFile, password);
    }
}
