package org.harpjava.server.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM file of the HTTPS listener as HaRP's HAProxy reads it: one private key and its certificate chain, in any
 * order, other blocks (such as DH parameters) ignored. Also decodes PEM certificates and PKCS#8 keys with the JDK
 * alone, for the TLS client certificates of Docker Engines.
 *
 * @param privateKey       the private key block, PKCS#8 or PKCS#1 RSA; never logged
 * @param certificateChain the certificate blocks, server certificate first
 */
public record CertificateFile(String privateKey, String certificateChain) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([\\s\\S]*?)-----END \\1-----");
    /** Algorithms a PKCS#8 key is tried with, most common first. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    /**
     * One PEM block.
     *
     * @param type the word(s) after {@code BEGIN}, such as {@code CERTIFICATE}
     * @param text the whole block, markers included
     * @param body the base64 text between the markers
     */
    private record Block(String type, String text, String body) {
        byte[] der() {
            return Base64.getMimeDecoder().decode(body);
        }
    }

    /**
     * Reads {@code file}.
     *
     * @throws ConfigException naming {@code HP_CERT_FILE} when the file is unreadable or lacks a usable key or certificate
     */
    public static CertificateFile read(Path file) {
        String where = Setting.CERT_FILE.label() + ": " + file;
        List<String> keys = new ArrayList<>();
        List<String> certificates = new ArrayList<>();
        for (Block b : blocks(file, where)) {
            if (b.type().equals("CERTIFICATE")) {
                certificates.add(b.text());
            } else if (b.type().endsWith("PRIVATE KEY")) {
                keys.add(b.type());
                keys.add(b.text());
            }
        }
        if (keys.size() != 2) {
            throw new ConfigException(where + " must hold exactly one private key, found " + keys.size() / 2);
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(where + " holds no certificate");
        }
        String type = keys.get(0);
        if (!type.equals("PRIVATE KEY") && !type.equals("RSA PRIVATE KEY")) {
            throw new ConfigException(where + " holds a key of type \"" + type + "\"; use an unencrypted PKCS#8 key"
                    + " (openssl pkcs8 -topk8 -nocrypt -in KEY)");
        }
        return new CertificateFile(keys.get(1), String.join("\n", certificates) + "\n");
    }

    /**
     * The certificates of the PEM file {@code file}, in file order.
     *
     * @param where how error messages name the setting, such as {@code harp.docker-engines[0].tls.ca}
     * @throws ConfigException naming {@code where} when the file is unreadable or holds no valid certificate
     */
    public static List<X509Certificate> certificates(Path file, String where) {
        String named = where + ": " + file;
        List<X509Certificate> list = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(file, named)) {
                if (b.type().equals("CERTIFICATE")) {
                    list.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new ConfigException(named + " holds a certificate that cannot be decoded");
        }
        if (list.isEmpty()) {
            throw new ConfigException(named + " holds no PEM certificate");
        }
        return list;
    }

    /**
     * The one unencrypted PKCS#8 private key of the PEM file {@code file} (RSA, EC or EdDSA). Other key formats
     * are refused with the {@code openssl} command that converts them. The key never appears in a message.
     *
     * @param where how error messages name the setting, such as {@code harp.docker-engines[0].tls.key}
     * @throws ConfigException naming {@code where} when the file is unreadable or holds no usable key
     */
    public static PrivateKey privateKey(Path file, String where) {
        String named = where + ": " + file;
        List<Block> keys = blocks(file, named).stream().filter(b -> b.type().endsWith("PRIVATE KEY")).toList();
        if (keys.size() != 1) {
            throw new ConfigException(named + " must hold exactly one private key, found " + keys.size());
        }
        Block key = keys.getFirst();
        if (!key.type().equals("PRIVATE KEY")) {
            throw new ConfigException(named + " holds a key of type \"" + key.type() + "\"; convert it to an"
                    + " unencrypted PKCS#8 key: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out " + file
                    + ".pkcs8");
        }
        PKCS8EncodedKeySpec spec;
        try {
            spec = new PKCS8EncodedKeySpec(key.der());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(named + " holds a private key that is not valid base64");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new ConfigException(named + " holds a private key that cannot be decoded (RSA, EC and EdDSA"
                + " PKCS#8 keys are supported)");
    }

    private static List<Block> blocks(Path file, String named) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(named + " cannot be read");
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(), m.group(2)));
        }
        return blocks;
    }

    @Override
    public String toString() {
        return "CertificateFile[privateKey=redacted, certificateChain=" + certificateChain.length() + " chars]";
    }
}
