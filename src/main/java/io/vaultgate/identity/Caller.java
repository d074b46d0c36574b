package io.vaultgate.identity;

import java.util.Set;

/**
 * Who is calling, as learned from their bearer token: the accessor (safe to log and audit,
 * unlike the token), a display name, and the policies that carry their role.
 */
public record Caller(String accessor, String displayName, Set<String> policies, boolean admin) {

    public Caller {
        policies = Set.copyOf(policies);
    }
}
