package io.vaultgate.restart;

import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The private networks one project's hooks may reach, as an admin set them: host names (a hook
 * whose URL names that host may reach the private addresses it resolves to) and networks (any
 * hook of the project may reach private addresses inside them). Never more than the classes
 * {@link AddressClassifier} lets a list open.
 */
record HookNetworks(List<String> entries, List<String> hosts, List<Cidr> networks) {

    static final HookNetworks NONE = new HookNetworks(List.of(), List.of(), List.of());

    /** Enough for any real topology; a list is read before every send. */
    static final int MAX_ENTRIES = 100;

    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern NUMERIC_LABEL = Pattern.compile(".*(^|\\.)[0-9]+$");

    /** @param entries every entry in its canonical form, in the order given, as stored and shown */
    HookNetworks {
        entries = List.copyOf(entries);
        hosts = List.copyOf(hosts);
        networks = List.copyOf(networks);
    }

    /**
     * Reads an admin's list: CIDRs ({@code 10.0.0.0/8}), single addresses ({@code 10.1.2.3},
     * kept as {@code 10.1.2.3/32}) and host names ({@code deploy.internal}). The first bad entry
     * refuses the whole list with {@code invalid-hook-network} naming its position.
     */
    static HookNetworks parse(List<String> entries) {
        if (entries.size() > MAX_ENTRIES) {
            throw new ApiException(
                    ErrorCode.INVALID_HOOK_NETWORK,
                    "A project lists at most " + MAX_ENTRIES + " hook networks.",
                    "allowedPrivate");
        }
        Set<String> canonical = new LinkedHashSet<>();
        Set<String> hosts = new LinkedHashSet<>();
        Set<Cidr> networks = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String field = "allowedPrivate[" + i + "]";
            String entry = entries.get(i) == null ? "" : entries.get(i).trim().toLowerCase(Locale.ROOT);
            Optional<Cidr> network = entry.contains("/")
                    ? Cidr.parse(entry)
                    : Cidr.literal(entry).map(Cidr::of);
            if (network.isPresent()) {
                networks.add(checked(network.get(), field));
                canonical.add(network.get().toString());
            } else if (entry.contains("/")) {
                throw refused(
                        field,
                        "is not a network: write an address, a slash and a prefix length, "
                                + "as in 10.0.0.0/8 or fd12:3456::/48");
            } else {
                String host = checkedHost(entry, field);
                hosts.add(host);
                canonical.add(host);
            }
        }
        return new HookNetworks(new ArrayList<>(canonical), new ArrayList<>(hosts), new ArrayList<>(networks));
    }

    /** Whether a hook naming {@code host} may reach {@code reached}, an address of a class a list may open. */
    boolean allows(String host, InetAddress reached) {
        return hosts.contains(normalHost(host)) || networks.stream().anyMatch(network -> network.contains(reached));
    }

    private static Cidr checked(Cidr network, String field) {
        if (network.hasHostBits()) {
            throw refused(field, "has bits set after its prefix length; write the network's first address");
        }
        Optional<String> never = AddressClassifier.neverOpenedBy(network);
        if (never.isPresent()) {
            throw refused(field, "covers " + never.get() + ", which no hook may reach");
        }
        return network;
    }

    private static String checkedHost(String entry, String field) {
        String host = normalHost(entry);
        if (!HOST_NAME.matcher(host).matches() || NUMERIC_LABEL.matcher(host).matches()) {
            throw refused(field, "is neither a network (10.0.0.0/8), an address nor a host name (deploy.internal)");
        }
        return host;
    }

    /** Lower case, without the root's trailing dot: {@code Deploy.Internal.} is {@code deploy.internal}. */
    private static String normalHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static ApiException refused(String field, String why) {
        return new ApiException(ErrorCode.INVALID_HOOK_NETWORK, field + " " + why + ".", field);
    }
}
