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
        Map<D, SortedSet<String>> affected = new LinkedHashMap<>();
        for (Candidate<D> candidate : candidates) {
            if (!candidate.chain().scopes().contains(changed)) {
                continue;
            }
            SortedMap<String, ScopeChain.Resolved<Boolean>> resolvedBefore = candidate
                    .chain()
                    .resolve(definitions(candidate.chain(), changed, touchedKeys, before.keySet(), definedAt));
            SortedMap<String, ScopeChain.Resolved<Boolean>> resolvedAfter = candidate
                    .chain()
                    .resolve(definitions(candidate.chain(), changed, touchedKeys, after.keySet(), definedAt));
            SortedSet<String> changedKeys = new TreeSet<>();
            for (String key : touchedKeys) {
                Scope sourceBefore = sourceOf(resolvedBefore, key);
                Scope sourceAfter = sourceOf(resolvedAfter, key);
                if (!changed.equals(sourceBefore) && !changed.equals(sourceAfter)) {
                    continue;
                }
                SecretValue valueBefore = valueOf(sourceBefore, key, changed, before, otherValues);
                SecretValue valueAfter = valueOf(sourceAfter, key, changed, after, otherValues);
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
            Scope changed,
            Set<String> touchedKeys,
            Set<String> definedAtChanged,
            Map<Scope, Set<String>> definedAt) {
        Map<Scope, Map<String, Boolean>> definitions = new HashMap<>();
        for (Scope scope : chain.scopes()) {
            Set<String> defined = scope.equals(changed) ? definedAtChanged : definedAt.getOrDefault(scope, Set.of());
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
            Scope source, String key, Scope changed, Map<String, SecretValue> atChanged, Values otherValues) {
        if (source == null) {
            return null;
        }
        return source.equals(changed) ? atChanged.get(key) : otherValues.valueAt(source, key);
    }
}
