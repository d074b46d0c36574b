package io.vaultgate.secret;

import io.vaultgate.scope.Scope;
import io.vaultgate.values.SecretValue;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one change-set does to its scope's values: the keys it touches, the scope's whole entry
 * before and after, and the entry version the after-values are at. Restarts are worked out from
 * it; its values are only compared, and never leave the gateway.
 *
 * @param touched the keys the change-set names
 * @param version the entry version that holds {@code after} (for a dry run, the acknowledged one)
 */
record ValueChange(
        Scope scope,
        Set<String> touched,
        Map<String, SecretValue> before,
        Map<String, SecretValue> after,
        int version) {

    ValueChange {
        Objects.requireNonNull(scope, "scope");
        touched = Set.copyOf(touched);
        before = Map.copyOf(before);
        after = Map.copyOf(after);
    }

    /** The touched keys whose value is the one they already had: no new version, no restart. */
    Set<String> unchanged() {
        return touched.stream()
                .filter(key -> before.containsKey(key) && Objects.equals(before.get(key), after.get(key)))
                .collect(Collectors.toSet());
    }

    /** The same change, as the value store version it lands as. */
    ValueChange landingAs(int landedVersion) {
        return new ValueChange(scope, touched, before, after, landedVersion);
    }

    /** Whether the change leaves the entry as it was. */
    boolean changesNothing() {
        return after.equals(before);
    }
}
