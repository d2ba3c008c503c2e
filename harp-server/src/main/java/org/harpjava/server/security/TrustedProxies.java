package org.harpjava.server.security;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reverse proxies whose {@code X-Forwarded-For} and {@code X-Real-IP} headers are believed
 * ({@code HP_TRUSTED_PROXY_IPS}).
 */
public final class TrustedProxies {
    private static final String QUOTES = "\"'\u201C\u201D\u2018\u2019";
    private final List<CidrBlock> blocks;

    private TrustedProxies(List<CidrBlock> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    public static TrustedProxies of(List<CidrBlock> blocks) {
        return new TrustedProxies(blocks);
    }

    /**
     * Parses a comma-separated list of IPs and CIDRs; quotes around the list or an entry (straight or curly) are
     * ignored.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static TrustedProxies parse(String list) {
        List<CidrBlock> blocks = new ArrayList<>();
        for (String raw : stripQuotes(list).split(",")) {
            String entry = stripQuotes(raw);
            if (entry.isEmpty()) {
                continue;
            }
            blocks.add(CidrBlock.parse(entry)
                    .orElseThrow(() -> new IllegalArgumentException("\"" + entry + "\" is not an IP address or CIDR")));
        }
        return new TrustedProxies(blocks);
    }

    private static String stripQuotes(String s) {
        String t = s.strip();
        while (!t.isEmpty() && QUOTES.indexOf(t.charAt(0)) >= 0) {
            t = t.substring(1).strip();
        }
        while (!t.isEmpty() && QUOTES.indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public List<CidrBlock> blocks() {
        return blocks;
    }

    public boolean trusts(InetAddress address) {
        for (CidrBlock b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The address of the real client. Forwarding headers count only when {@code peer} is trusted; then
     * {@code X-Forwarded-For} is read from the right, skipping trusted proxies, so a client cannot choose its own
     * address by sending the header itself. {@code X-Real-IP} is the fallback.
     */
    public InetAddress clientAddress(InetAddress peer, Optional<String> forwardedFor, Optional<String> realIp) {
        if (!trusts(peer)) {
            return peer;
        }
        if (forwardedFor.isPresent()) {
            String[] hops = forwardedFor.get().split(",");
            InetAddress leftmost = null;
            for (int i = hops.length - 1; i >= 0; i--) {
                Optional<InetAddress> hop = IpAddresses.parse(hops[i]);
                if (hop.isEmpty()) {
                    continue;
                }
                if (!trusts(hop.get())) {
                    return hop.get();
                }
                leftmost = hop.get();
            }
            if (leftmost != null) {
                return leftmost;
            }
        }
        return realIp.flatMap(IpAddresses::parse).orElse(peer);
    }
}
