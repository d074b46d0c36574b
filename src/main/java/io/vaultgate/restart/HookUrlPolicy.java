package io.vaultgate.restart;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a hook may point. http(s) only, no credentials in the URL, never the cloud metadata
 * addresses, and private, loopback or link-local addresses only when the allow-list names the
 * host or a CIDR holding the address (deploy systems live on private networks; an attacker
 * registering a hook should not reach them by default). Checked at registration and again
 * before every send, since DNS can change in between.
 */
@Singleton
class HookUrlPolicy {

    private static final List<String> METADATA_ADDRESSES = List.of("169.254.169.254", "fd00:ec2:0:0:0:0:0:254");

    private final List<String> allowed;
    private final Resolver resolver;

    /** Name resolution, so tests of the rule need no DNS. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    @Inject
    HookUrlPolicy(RestartProperties properties) {
        this(properties.allowedPrivate(), InetAddress::getAllByName);
    }

    HookUrlPolicy(List<String> allowed, Resolver resolver) {
        this.allowed = allowed.stream().map(entry -> entry.trim().toLowerCase(Locale.ROOT)).toList();
        this.resolver = resolver;
    }

    /** @return the URL, checked; throws {@code invalid-hook-url} naming the rule it breaks */
    URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw refused("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused("must use http or https");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("must not carry credentials; authenticate the receiver by the webhook signature");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw refused("has no host");
        }
        if (uri.getRawFragment() != null) {
            throw refused("must not have a fragment");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw refused("names a host that does not resolve: " + host);
        }
        for (InetAddress address : addresses) {
            if (METADATA_ADDRESSES.contains(address.getHostAddress())) {
                throw refused("points at a cloud metadata address, which is always refused");
            }
            if (isPrivate(address) && !allowedHost(host) && !allowedAddress(address)) {
                throw refused("resolves to the private address " + address.getHostAddress()
                        + "; add the host or its network to vaultgate.restart.allowed-private to allow it");
            }
        }
        return uri;
    }

    private boolean allowedHost(String host) {
        return allowed.contains(host.toLowerCase(Locale.ROOT));
    }

    private boolean allowedAddress(InetAddress address) {
        return allowed.stream().filter(entry -> entry.contains("/")).anyMatch(cidr -> inCidr(address, cidr));
    }

    static boolean isPrivate(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocalV6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean sharedAddressSpace = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress() || uniqueLocalV6 || sharedAddressSpace;
    }

    static boolean inCidr(InetAddress address, String cidr) {
        String[] parts = cidr.split("/", 2);
        try {
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] candidate = address.getAddress();
            int prefix = Integer.parseInt(parts[1]);
            if (network.length != candidate.length || prefix < 0 || prefix > network.length * 8) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((network[bit / 8] & mask) != (candidate[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    private static ApiException refused(String why) {
        return new ApiException(ErrorCode.INVALID_HOOK_URL, "The hook URL " + why + ".", "url");
    }
}
