package io.vaultgate.restart;

/**
 * The kind of place an address leads to, and whether a hook may go there. See
 * {@link AddressClassifier} for the ranges and for why each class may or may not be opened.
 */
enum AddressClass {
    PUBLIC("a public address", Reach.ALWAYS),
    LOOPBACK("a loopback address", Reach.WHEN_LISTED),
    PRIVATE("a private (RFC 1918) address", Reach.WHEN_LISTED),
    UNIQUE_LOCAL("a unique-local IPv6 address", Reach.WHEN_LISTED),
    SHARED("a shared (carrier-grade NAT) address", Reach.WHEN_LISTED),
    METADATA("a cloud metadata address", Reach.NEVER),
    LINK_LOCAL("a link-local address", Reach.NEVER),
    MULTICAST("a multicast address", Reach.NEVER),
    BROADCAST("the broadcast address", Reach.NEVER),
    UNSPECIFIED("an unspecified (this network) address", Reach.NEVER),
    RESERVED("a reserved address", Reach.NEVER),
    DOCUMENTATION("a documentation address", Reach.NEVER),
    BENCHMARK("a benchmarking address", Reach.NEVER),
    PROTOCOL_ASSIGNMENT("an IETF protocol assignment address", Reach.NEVER),
    TEREDO("a Teredo tunnel address", Reach.NEVER),
    SITE_LOCAL("a site-local IPv6 address", Reach.NEVER),
    DISCARD("a discard-only address", Reach.NEVER);

    /** Whether a hook may reach an address of the class. */
    enum Reach {
        /** Nothing to ask. */
        ALWAYS,
        /** Only when the hook's project lists the host or a network holding the address. */
        WHEN_LISTED,
        /** Whatever any list says. */
        NEVER
    }

    private final String description;
    private final Reach reach;

    AddressClass(String description, Reach reach) {
        this.description = description;
        this.reach = reach;
    }

    /** Words for an error message, e.g. "a link-local address". */
    String description() {
        return description;
    }

    Reach reach() {
        return reach;
    }
}
