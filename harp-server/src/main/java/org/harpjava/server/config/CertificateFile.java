package org.harpjava.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PEM file of the HTTPS listener as HaRP's HAProxy reads it: one private key and its certificate chain, in any
 * order, other blocks (such as DH parameters) ignored.
 *
 * @param privateKey       the private key block, PKCS#8 or PKCS#1 RSA; never logged
 * @param certificateChain the certificate blocks, server certificate first
 */
public record CertificateFile(String privateKey, String certificateChain) {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----[\\s\\S]*?-----END \\1-----");

    /**
     * Reads {@code file}.
     *
     * @throws ConfigException naming {@code HP_CERT_FILE} when the file is unreadable or lacks a usable key or certificate
     */
    public static CertificateFile read(Path file) {
        String where = Setting.CERT_FILE.label() + ": " + file;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(where + " cannot be read");
        }
        List<String> keys = new ArrayList<>();
        List<String> certificates = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                certificates.add(m.group());
            } else if (m.group(1).endsWith("PRIVATE KEY")) {
                keys.add(m.group(1));
                keys.add(m.group());
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

    @Override
    public String toString() {
        return "CertificateFile[privateKey=redacted, certificateChain=" + certificateChain.length() + " chars]";
    }
}
