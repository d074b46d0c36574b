package io.vaultgate.restart;

import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.values.SecretValue;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which deployments a change at one scope really changes: for each deployment whose chain holds
 * the scope, the keys whose resolved value differs before and after. Precedence comes from
 * {@link ScopeChain} (the one home of the rule): a key overridden by a more specific scope is
 * not changed, and setting the same value changes nothing. Values are compared in memory only.
 */
public final class Impact {

    private Impact() {}

    /** A deployment (whatever the caller identifies it by) and its scope chain. */
    public record Candidate<D>(D deployment, ScopeChain chain) {}

    /** Reads the value of a key at a scope other than the changed one, when a comparison needs it. */
    @FunctionalInterface
    public interface Values {
        SecretValue valueAt(Scope scope, String key);
    }

    /**
     * A changed scope's values of the touched keys before and after the change (absent: undefined).
     */
    public record ScopeChange(Map<String, SecretValue> before, Map<String, SecretValue> after) {}

    /**
     * @param changed        the scope the change-set wrote
     * @param before         the changed scope's values of the touched keys before the change (absent: undefined)
     * @param after          the same after the change
     * @param definedAt      which of the touched keys every other scope defines
     * @param otherValues    values at other scopes, asked for only when a resolution falls back to one
     * @return the deployments whose resolved values change, each with the keys that change, in candidate order
     */
    public static <D> Map<D, SortedSet<String>> affected(
            List<Candidate<D>> candidates,
            Scope changed,
            Set<String> touchedKeys,
            Map<String, SecretValue> before,
            Map<String, SecretValue> after,
            Map<Scope, Set<String>> definedAt,
            Values otherValues) {
        return affected(
                candidates, Map.of(changed, new ScopeChange(before, after)), touchedKeys, definedAt, otherValues);
    }

    /**
     * The same for a change-set that writes several scopes at once: each deployment whose chain
     * holds any of them is resolved before (every scope as acknowledged) and after (every changed
     * scope as written), so a deployment changed at two of its scopes is one entry naming all its
     * keys, and a key changed at one scope and overridden at another it inherits is no change.
     *
     * @param changes     the scopes the change-set writes, each with its values of the touched keys
     * @param touchedKeys the keys the change-set touches at any of its scopes
     * @param definedAt   which of the touched keys every scope not written defines
     */
    public static <D> Map<D, SortedSet<String>> affected(
            List<Candidate<D>> candidates,
            Map<Scope, ScopeChange> changes,
            Set<String> touchedKeys,
            Map<Scope, Set<String>> definedAt,
            Values otherValues) {
        // A HashMap: a key no scope defines has a null source, which Map.of refuses to look up.
        Map<Scope, ScopeChange> changed = new HashMap<>(changes);
        Map<D, SortedSet<String>> affected = new LinkedHashMap<>();
        for (Candidate<D> candidate : candidates) {
            if (candidate.chain().scopes().stream().noneMatch(changed::containsKey)) {
                continue;
            }
            SortedMap<String, ScopeChain.Resolved<Boolean>> resolvedBefore =
                    candidate.chain().resolve(definitions(candidate.chain(), changed, false, touchedKeys, definedAt));
            SortedMap<String, ScopeChain.Resolved<Boolean>> resolvedAfter =
                    candidate.chain().resolve(definitions(candidate.chain(), changed, true, touchedKeys, definedAt));
            SortedSet<String> changedKeys = new TreeSet<>();
            for (String key : touchedKeys) {
                Scope sourceBefore = sourceOf(resolvedBefore, key);
                Scope sourceAfter = sourceOf(resolvedAfter, key);
                if (!changed.containsKey(sourceBefore) && !changed.containsKey(sourceAfter)) {
                    continue;
                }
                SecretValue valueBefore = valueOf(sourceBefore, key, changed, false, otherValues);
                SecretValue valueAfter = valueOf(sourceAfter, key, changed, true, otherValues);
                if (!Objects.equals(valueBefore, valueAfter)) {
                    changedKeys.add(key);
                }
            }
            if (!changedKeys.isEmpty()) {
                affected.put(candidate.deployment(), changedKeys);
            }
        }
        return affected;
    }

    private static Map<Scope, Map<String, Boolean>> definitions(
            ScopeChain chain,
            Map<Scope, ScopeChange> changed,
            boolean after,
            Set<String> touchedKeys,
            Map<Scope, Set<String>> definedAt) {
        Map<Scope, Map<String, Boolean>> definitions = new HashMap<>();
        for (Scope scope : chain.scopes()) {
            ScopeChange change = changed.get(scope);
            Set<String> defined = change == null
                    ? definedAt.getOrDefault(scope, Set.of())
                    : (after ? change.after() : change.before()).keySet();
            Map<String, Boolean> keys = new HashMap<>();
            for (String key : touchedKeys) {
                if (defined.contains(key)) {
                    keys.put(key, Boolean.TRUE);
                }
            }
            definitions.put(scope, keys);
        }
        return definitions;
    }

    private static Scope sourceOf(SortedMap<String, ScopeChain.Resolved<Boolean>> resolved, String key) {
        ScopeChain.Resolved<Boolean> found = resolved.get(key);
        return found == null ? null : found.source().scope();
    }

    private static SecretValue valueOf(
            Scope source, String key, Map<Scope, ScopeChange> changed, boolean after, Values otherValues) {
        if (source == null) {
            return null;
        }
        ScopeChange change = changed.get(source);
        if (change == null) {
            return otherValues.valueAt(source, key);
        }
        return (after ? change.after() : change.before()).get(key);
    }
}
