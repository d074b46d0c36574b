package io.vaultgate.restart;

import io.vaultgate.restart.AddressClass.Reach;
import io.vaultgate.restart.AddressClassifier.Classified;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a hook may point. http(s) only, no credentials and no fragment in the URL; every address
 * its host resolves to is classified ({@link AddressClassifier}): public ones pass, the classes a
 * list may open pass when the hook's project lists the host or a network holding the address
 * ({@link HookNetworks}), the others never do.
 *
 * <p>Checked at registration, and at every send by the sender's own resolver: the addresses a
 * send connects to are the ones {@link #approvedAddresses} answered, from one resolution, so DNS
 * that answers differently to a check and to the connection it guards (rebinding) gains nothing.
 */
@Singleton
class HookUrlPolicy {

    private final Resolver resolver;

    /** Name resolution, so tests of the rule need no DNS. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The system's resolver; a bean so integration tests can script DNS answers. */
    @Singleton
    static final class SystemResolver implements Resolver {
        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return InetAddress.getAllByName(host);
        }
    }

    /** Every address the host resolved to was refused; says which classes, never which addresses. */
    static final class AddressRefusedException extends UnknownHostException {
        AddressRefusedException(List<AddressClass> refused) {
            super("every address of the host is refused: "
                    + refused.stream().map(AddressClass::description).toList());
        }
    }

    HookUrlPolicy(Resolver resolver) {
        this.resolver = resolver;
    }

    /** The URL's own rules, without resolving it; throws {@code invalid-hook-url} naming the rule it breaks. */
    URI parse(String url) {
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
        return uri;
    }

    /**
     * Registration: the URL's rules, and every address its host resolves to now must pass (a
     * host answering both a public and a loopback address is refused, not half-registered).
     * Messages name the class of a refused address, never the address.
     */
    URI check(String url, HookNetworks networks, String project) {
        URI uri = parse(url);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw refused("names a host that does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<AddressClass> refusal = refusal(uri.getHost(), address, networks);
            if (refusal.isPresent()) {
                AddressClass kind = refusal.get();
                throw refused(
                        kind.reach() == Reach.NEVER
                                ? "resolves to " + kind.description() + ", which no hook may reach"
                                : "resolves to " + kind.description() + ", which project '" + project
                                        + "' does not allow; "
                                        + "an admin can list its host or network with PUT /v1/projects/" + project
                                        + "/hook-networks");
            }
        }
        return uri;
    }

    /**
     * Sending: resolves the host once and answers only the addresses the hook may reach, for the
     * sender to connect to and nothing else.
     *
     * @throws AddressRefusedException when it resolves, but to no address the hook may reach
     * @throws UnknownHostException    when it does not resolve
     */
    InetAddress[] approvedAddresses(String host, HookNetworks networks) throws UnknownHostException {
        List<InetAddress> approved = new ArrayList<>();
        List<AddressClass> refused = new ArrayList<>();
        for (InetAddress address : resolver.resolve(host)) {
            refusal(host, address, networks).ifPresentOrElse(refused::add, () -> approved.add(address));
        }
        if (approved.isEmpty()) {
            throw new AddressRefusedException(refused);
        }
        return approved.toArray(InetAddress[]::new);
    }

    /** The one rule: the class of the address, unless the hook may reach it. */
    private static Optional<AddressClass> refusal(String host, InetAddress address, HookNetworks networks) {
        Classified classified = AddressClassifier.classify(address);
        boolean reachable = switch (classified.kind().reach()) {
            case ALWAYS -> true;
            case WHEN_LISTED -> networks.allows(host, classified.reached());
            case NEVER -> false;
        };
        return reachable ? Optional.empty() : Optional.of(classified.kind());
    }

    private static ApiException refused(String why) {
        return new ApiException(ErrorCode.INVALID_HOOK_URL, "The hook URL " + why + ".", "url");
    }
}
