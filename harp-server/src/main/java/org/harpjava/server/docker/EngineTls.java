package org.harpjava.server.docker;

import org.harpjava.server.config.CertificateFile;
import org.harpjava.server.config.ConfigException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS towards a Docker Engine on TCP, as Docker's {@code --tlsverify} sets it up: the engine's certificate must be
 * issued by the CA of {@link #ca()} and name the engine's host (hostname verification on), and the client presents
 * the certificate of {@link #cert()} with the key of {@link #key()} (both optional, for engines that do not ask for
 * one). TLS 1.2 and 1.3 only. The files are read and checked once, when the configuration is loaded; the key never
 * appears in a message.
 */
public final class EngineTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Path ca;
    private final Optional<Path> cert;
    private final Optional<Path> key;
    private final SSLContext context;

    private EngineTls(Path ca, Optional<Path> cert, Optional<Path> key, SSLContext context) {
        this.ca = ca;
        this.cert = cert;
        this.key = key;
        this.context = context;
    }

    /**
     * Reads the PEM files and builds the TLS context.
     *
     * @param where how messages name the {@code tls} setting, such as {@code harp.docker-engines[0].tls}
     * @param ca    the CA certificate(s) the engine's certificate must be issued by
     * @param cert  the client certificate (and any intermediates), with {@code key} or not at all
     * @param key   the client certificate's unencrypted PKCS#8 private key
     * @throws ConfigException naming the field at fault
     */
    public static EngineTls load(String where, Path ca, Optional<Path> cert, Optional<Path> key) {
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException(where + (cert.isPresent() ? ".key" : ".cert")
                    + " is required with " + where + (cert.isPresent() ? ".cert" : ".key"));
        }
        List<X509Certificate> authorities = CertificateFile.certificates(ca, where + ".ca");
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);

            KeyManagerFactory kmf = null;
            if (cert.isPresent()) {
                List<X509Certificate> chain = CertificateFile.certificates(cert.get(), where + ".cert");
                PrivateKey privateKey = CertificateFile.privateKey(key.get(), where + ".key");
                if (!matches(privateKey, chain.getFirst())) {
                    throw new ConfigException(where + ".key: " + key.get() + " is not the key of the certificate in "
                            + where + ".cert (" + cert.get() + ")");
                }
                char[] password = new char[0];
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(null, null);
                own.setKeyEntry("client", privateKey, password, chain.toArray(X509Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(own, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return new EngineTls(ca, cert, key, context);
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(where + ": cannot set up TLS with these files (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** Whether {@code key} is the private key of {@code certificate}: a signature made with it verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm());
        }
        try {
            byte[] data = "harp-java key check".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(data);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(data);
            return verify.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Starts TLS on the connected {@code socket} to {@code host} and completes the handshake. Closing the returned
     * socket closes {@code socket}.
     */
    SSLSocket wrap(Socket socket, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setProtocols(Arrays.stream(PROTOCOLS)
                .filter(p -> Arrays.asList(ssl.getSupportedProtocols()).contains(p)).toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        return ssl;
    }

    public Path ca() {
        return ca;
    }

    public Optional<Path> cert() {
        return cert;
    }

    public Optional<Path> key() {
        return key;
    }

    /** Equal when the same files are named: the loaded context is derived from them. */
    @Override
    public boolean equals(Object o) {
        return o instanceof EngineTls t && ca.equals(t.ca) && cert.equals(t.cert) && key.equals(t.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ca, cert, key);
    }

    @Override
    public String toString() {
        return "EngineTls[ca=" + ca + ", cert=" + cert.map(Path::toString).orElse("none") + ", key="
                + key.map(Path::toString).orElse("none") + "]";
    }
}
