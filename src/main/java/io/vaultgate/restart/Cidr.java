package io.vaultgate.restart;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hc.core5.net.InetAddressUtils;

/**
 * A network: an IPv4 or IPv6 address and a prefix length, compared bit by bit. IPv6 text stays
 * IPv6 here ({@code ::ffff:0:0/96} is not turned into an IPv4 network as the JDK would), and
 * nothing in this class ever asks DNS: text is parsed only once it is known to be a literal.
 */
final class Cidr {

    /** Dotted decimal without leading zeros (which some parsers read as octal). */
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /** @return the network of text like {@code 10.0.0.0/8} or {@code fd12:3456::/48}; empty if it is not one */
    static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        Optional<byte[]> address = literal(text.substring(0, slash));
        String length = text.substring(slash + 1);
        if (address.isEmpty() || !length.matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int bits = Integer.parseInt(length);
        if (bits > address.get().length * 8) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(address.get(), bits));
    }

    /** The network of exactly one address. */
    static Cidr of(byte[] address) {
        return new Cidr(address.clone(), address.length * 8);
    }

    /**
     * The bytes of an address literal: 4 for IPv4, 16 for IPv6 (IPv4-mapped ones included).
     * Empty for anything else (host names, which are never looked up, and IPv6 zones such as
     * {@code %eth0}, which name an interface of this machine).
     */
    static Optional<byte[]> literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = !text.contains("%") && (InetAddressUtils.isIPv6(text) || InetAddressUtils.isIPv4MappedIPv6(text));
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            InetAddress parsed = InetAddress.getByName(v4 ? text : "[" + text + "]");
            return Optional.of(v4 ? parsed.getAddress() : ipv6Bytes(parsed));
        } catch (UnknownHostException notALiteral) {
            return Optional.empty();
        }
    }

    /** An address as 16 bytes when it came from IPv6 text, even where the JDK made it an IPv4 address. */
    private static byte[] ipv6Bytes(InetAddress parsed) {
        if (parsed instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return mapped;
        }
        return parsed.getAddress();
    }

    int prefix() {
        return prefix;
    }

    boolean isIpv4() {
        return network.length == 4;
    }

    /** Whether bits after the prefix are set, as in {@code 10.1.2.3/8}. */
    boolean hasHostBits() {
        for (int bit = prefix; bit < network.length * 8; bit++) {
            if (bitAt(network, bit)) {
                return true;
            }
        }
        return false;
    }

    boolean contains(byte[] address) {
        return address.length == network.length && samePrefix(network, address, prefix);
    }

    boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether some address lies in both networks. */
    boolean overlaps(Cidr other) {
        return other.network.length == network.length
                && samePrefix(network, other.network, Math.min(prefix, other.prefix));
    }

    /** Whether every address of {@code other} lies in this network. */
    boolean covers(Cidr other) {
        return other.network.length == network.length
                && other.prefix >= prefix
                && samePrefix(network, other.network, prefix);
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int bit = 0; bit < bits; bit++) {
            if (bitAt(a, bit) != bitAt(b, bit)) {
                return false;
            }
        }
        return true;
    }

    private static boolean bitAt(byte[] bytes, int bit) {
        return (bytes[bit / 8] & (0x80 >> (bit % 8))) != 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && cidr.prefix == prefix && Arrays.equals(cidr.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    /** {@code 10.0.0.0/8}; IPv6 in its RFC 5952 form, {@code fd12:3456::/48}. */
    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }

    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int start = 0; start < 8; start++) {
            int length = 0;
            while (start + length < 8 && groups[start + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
