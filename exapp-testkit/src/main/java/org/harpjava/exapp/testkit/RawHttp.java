package org.harpjava.exapp.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange per connection, over TCP or a unix domain socket, with the request head written exactly as
 * given (so tests can send what a normal client would refuse). The connection is closed after the answer.
 */
final class RawHttp {
    private static final int MAX_HEAD = 64 * 1024;

    private RawHttp() {
    }

    static AppApiResponse exchange(SocketAddress address, String host, String method, String target,
                                   List<String[]> headers, byte[] body, Duration timeout) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(timeout);
                channel.close();
            } catch (InterruptedException | IOException ignored) {
                // finished in time, or already closed
            }
        });
        try (channel) {
            channel.connect(address instanceof InetSocketAddress i && i.isUnresolved()
                    ? new InetSocketAddress(i.getHostString(), i.getPort()) : address);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(host).append("\r\n");
            for (String[] h : headers) {
                head.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = Channels.newOutputStream(channel);
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            while (true) {
                int status = status(line(in));
                Map<String, List<String>> h = headers(in);
                if (status >= 100 && status < 200) {
                    continue;
                }
                byte[] content = "HEAD".equals(method) || status == 204 || status == 304 ? new byte[0] : body(in, h);
                return new AppApiResponse(status, h, content);
            }
        } catch (IOException e) {
            if (!watchdog.isAlive()) {
                throw new IOException("no complete answer within " + timeout, e);
            }
            throw e;
        } finally {
            watchdog.interrupt();
        }
    }

    private static int status(String line) throws IOException {
        String[] parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + line);
        }
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, List<String>> headers(InputStream in) throws IOException {
        Map<String, List<String>> h = new LinkedHashMap<>();
        int total = 0;
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            total += line.length();
            if (total > MAX_HEAD) {
                throw new IOException("answer head too large");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                h.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
        }
        return h;
    }

    private static byte[] body(InputStream in, Map<String, List<String>> h) throws IOException {
        String te = h.getOrDefault("transfer-encoding", List.of()).stream().reduce("", String::concat);
        if (te.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (n == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    return out.toByteArray();
                }
                out.write(in.readNBytes(n));
                line(in);
            }
        }
        List<String> length = h.get("content-length");
        if (length != null && !length.isEmpty()) {
            int n = Integer.parseInt(length.get(0));
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException("answer body cut after " + b.length + " of " + n + " bytes");
            }
            return b;
        }
        return in.readAllBytes();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            if (b.size() > MAX_HEAD) {
                throw new IOException("answer line too long");
            }
        }
        throw new EOFException("connection closed before the answer was complete");
    }
}
