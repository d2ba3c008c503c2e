package org.harpjava.server.security;

import java.net.InetAddress;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a single-host network.
 * Host bits are masked, as HaRP does.
 */
public record CidrBlock(byte[] network, int prefix) {

    /** Parses {@code text}; empty when it is neither an IP nor a valid CIDR. */
    public static Optional<CidrBlock> parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String literal = slash < 0 ? t : t.substring(0, slash);
        Optional<InetAddress> address = IpAddresses.parse(literal);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = address.get().getAddress();
        int max = bytes.length * 8;
        // An IPv4-mapped IPv6 literal (::ffff:a.b.c.d) reads as IPv4, as peers do; its prefix counts 96 more bits.
        int mappedBits = bytes.length == 4 && literal.contains(":") ? 96 : 0;
        int prefix = max;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p) - mappedBits;
            if (prefix < 0 || prefix > max) {
                return Optional.empty();
            }
        }
        return Optional.of(new CidrBlock(mask(bytes, prefix), prefix));
    }

    /** Whether {@code address} lies in this network. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        byte[] masked = mask(bytes, prefix);
        return java.util.Arrays.equals(masked, network);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - bits)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
