package io.vaultgate.restart;

import io.vaultgate.restart.AddressClass.Reach;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where an address leads: the one table of special ranges (IANA's IPv4 and IPv6 special-purpose
 * registries), IPv4 and IPv6 alike. Pure: no DNS, no configuration.
 *
 * <p>What a project's hook networks may open, and why:
 * <ul>
 *   <li><b>May be opened</b>: private networks (10/8, 172.16/12, 192.168/16), unique-local IPv6
 *       (fc00::/7) and shared address space (100.64/10, carrier-grade NAT, also what overlay
 *       networks such as Tailscale use): this is where deploy systems live. Loopback (127/8, ::1):
 *       a gateway's own machine is a deploy target in tests and single-host setups.</li>
 *   <li><b>Never</b>: cloud metadata addresses (they hand out the machine's cloud credentials:
 *       169.254.169.254 for AWS, GCP, Azure and Oracle; fd00:ec2::254 and fd00:ec2::23 for AWS over
 *       IPv6; 100.100.100.200 for Alibaba Cloud), and the whole of link-local (169.254/16,
 *       fe80::/10): it holds more credential endpoints (169.254.170.2 for ECS tasks, 169.254.170.23
 *       for EKS pods), and no deploy system is reached there. Multicast, broadcast and unspecified
 *       addresses are not one receiver; reserved, documentation, benchmarking, IETF protocol
 *       assignment (192.0.0/24, 2001::/23), discard (100::/64) and retired site-local (fec0::/10)
 *       space has no deploy system by definition; Teredo (2001::/32) tunnels to a host its
 *       address does not name. IPv6 outside 2000::/3 is unassigned and therefore reserved.</li>
 *   <li><b>Always allowed</b>: every other address (public).</li>
 * </ul>
 *
 * <p>IPv6 forms of IPv4 addresses are judged by the IPv4 address inside them, which is where they
 * lead: IPv4-mapped {@code ::ffff:0:0/96}, IPv4-translated {@code ::ffff:0:0:0/96},
 * IPv4-compatible {@code ::/96} (so {@code ::a9fe:a9fe} is the metadata address), NAT64
 * {@code 64:ff9b::/96} and {@code 64:ff9b:1::/96}, and 6to4 {@code 2002::/16}. The local-use
 * NAT64 prefix {@code 64:ff9b:1::/48} may carry its IPv4 address elsewhere than in the last 32
 * bits; which layout a network uses cannot be told from the address, so those other layouts are
 * refused as reserved.
 */
final class AddressClassifier {

    /** An address's class and the address it really reaches: the embedded IPv4 one for the IPv6 forms above. */
    record Classified(AddressClass kind, InetAddress reached) {}

    private record Range(Cidr cidr, AddressClass kind) {}

    /** An IPv6 prefix whose addresses carry an IPv4 address at {@code offset} (bytes). */
    private record Embedding(Cidr prefix, int offset) {}

    /** First match wins, so single addresses come before the ranges holding them. */
    private static final List<Range> IPV4 = List.of(
            range("169.254.169.254/32", AddressClass.METADATA),
            range("100.100.100.200/32", AddressClass.METADATA),
            range("255.255.255.255/32", AddressClass.BROADCAST),
            range("0.0.0.0/8", AddressClass.UNSPECIFIED),
            range("10.0.0.0/8", AddressClass.PRIVATE),
            range("100.64.0.0/10", AddressClass.SHARED),
            range("127.0.0.0/8", AddressClass.LOOPBACK),
            range("169.254.0.0/16", AddressClass.LINK_LOCAL),
            range("172.16.0.0/12", AddressClass.PRIVATE),
            range("192.0.0.0/24", AddressClass.PROTOCOL_ASSIGNMENT),
            range("192.0.2.0/24", AddressClass.DOCUMENTATION),
            range("192.88.99.0/24", AddressClass.RESERVED),
            range("192.168.0.0/16", AddressClass.PRIVATE),
            range("198.18.0.0/15", AddressClass.BENCHMARK),
            range("198.51.100.0/24", AddressClass.DOCUMENTATION),
            range("203.0.113.0/24", AddressClass.DOCUMENTATION),
            range("224.0.0.0/4", AddressClass.MULTICAST),
            range("240.0.0.0/4", AddressClass.RESERVED));

    /** Looked at before the embeddings: these lie inside {@code ::/96} or are single addresses of a range. */
    private static final List<Range> IPV6_ADDRESSES = List.of(
            range("::/128", AddressClass.UNSPECIFIED),
            range("::1/128", AddressClass.LOOPBACK),
            range("fd00:ec2::254/128", AddressClass.METADATA),
            range("fd00:ec2::23/128", AddressClass.METADATA));

    private static final List<Embedding> EMBEDDINGS = List.of(
            embedding("::ffff:0:0/96", 12),
            embedding("::ffff:0:0:0/96", 12),
            embedding("::/96", 12),
            embedding("64:ff9b::/96", 12),
            embedding("64:ff9b:1::/96", 12),
            embedding("2002::/16", 2));

    private static final List<Range> IPV6 = List.of(
            range("64:ff9b:1::/48", AddressClass.RESERVED),
            range("100::/64", AddressClass.DISCARD),
            range("2001::/32", AddressClass.TEREDO),
            range("2001:2::/48", AddressClass.BENCHMARK),
            range("2001::/23", AddressClass.PROTOCOL_ASSIGNMENT),
            range("2001:db8::/32", AddressClass.DOCUMENTATION),
            range("3fff::/20", AddressClass.DOCUMENTATION),
            range("fc00::/7", AddressClass.UNIQUE_LOCAL),
            range("fe80::/10", AddressClass.LINK_LOCAL),
            range("fec0::/10", AddressClass.SITE_LOCAL),
            range("ff00::/8", AddressClass.MULTICAST));

    private static final Cidr GLOBAL_UNICAST = cidr("2000::/3");
    private static final Cidr UNIQUE_LOCAL = cidr("fc00::/7");
    private static final Cidr IPV6_LOOPBACK = cidr("::1/128");

    private AddressClassifier() {}

    static Classified classify(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return new Classified(classify4(bytes), address);
        }
        Optional<AddressClass> single = firstMatch(IPV6_ADDRESSES, bytes);
        if (single.isPresent()) {
            return new Classified(single.get(), address);
        }
        for (Embedding embedding : EMBEDDINGS) {
            if (embedding.prefix().contains(bytes)) {
                byte[] ipv4 = Arrays.copyOfRange(bytes, embedding.offset(), embedding.offset() + 4);
                return new Classified(classify4(ipv4), ipv4Address(ipv4));
            }
        }
        AddressClass kind = firstMatch(IPV6, bytes)
                .orElse(GLOBAL_UNICAST.contains(bytes) ? AddressClass.PUBLIC : AddressClass.RESERVED);
        return new Classified(kind, address);
    }

    /**
     * What a hook-network entry would cover that no list may open: a class that is never
     * reached, or IPv6 forms of IPv4 addresses (whose IPv4 network is what to list instead).
     *
     * @return words for the error message; empty when the entry is acceptable
     */
    static Optional<String> neverOpenedBy(Cidr entry) {
        if (entry.isIpv4()) {
            return overlappedNever(IPV4, entry);
        }
        if (entry.equals(IPV6_LOOPBACK)) {
            return Optional.empty();
        }
        Optional<String> never = overlappedNever(IPV6_ADDRESSES, entry);
        if (never.isPresent()) {
            return never;
        }
        if (EMBEDDINGS.stream().anyMatch(embedding -> embedding.prefix().overlaps(entry))) {
            return Optional.of("IPv6 forms of IPv4 addresses (list the IPv4 network instead)");
        }
        never = overlappedNever(IPV6, entry);
        if (never.isPresent()) {
            return never;
        }
        return GLOBAL_UNICAST.covers(entry) || UNIQUE_LOCAL.covers(entry)
                ? Optional.empty()
                : Optional.of(AddressClass.RESERVED.description());
    }

    private static AddressClass classify4(byte[] ipv4) {
        return firstMatch(IPV4, ipv4).orElse(AddressClass.PUBLIC);
    }

    private static Optional<AddressClass> firstMatch(List<Range> ranges, byte[] address) {
        return ranges.stream()
                .filter(range -> range.cidr().contains(address))
                .map(Range::kind)
                .findFirst();
    }

    private static Optional<String> overlappedNever(List<Range> ranges, Cidr entry) {
        return ranges.stream()
                .filter(range ->
                        range.kind().reach() == Reach.NEVER && range.cidr().overlaps(entry))
                .map(range -> range.kind().description())
                .findFirst();
    }

    private static InetAddress ipv4Address(byte[] ipv4) {
        try {
            return InetAddress.getByAddress(ipv4);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("four bytes are an IPv4 address", impossible);
        }
    }

    private static Range range(String cidr, AddressClass kind) {
        return new Range(cidr(cidr), kind);
    }

    private static Embedding embedding(String prefix, int offset) {
        return new Embedding(cidr(prefix), offset);
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text).orElseThrow(() -> new IllegalStateException("not a CIDR: " + text));
    }
}
