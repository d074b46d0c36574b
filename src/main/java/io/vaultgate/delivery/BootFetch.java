package io.vaultgate.delivery;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.access.Access;
import io.vaultgate.access.Caller;
import io.vaultgate.access.CallerToken;
import io.vaultgate.access.TokenInfo;
import io.vaultgate.identity.TokenRules;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.secret.ConfigRevision;
import io.vaultgate.secret.SecretMetadata;
import io.vaultgate.secret.SecretMetadata.KeyVersion;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.VersionedEntry;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One boot fetch: the caller's deployment with its resolved keys and their versions (one SQL
 * statement), the config revision from those, then, unless the caller already has that
 * revision, one parallel read per scope entry with the caller's own token, values taken at
 * exactly the entry versions MySQL acknowledged (so the values match the revision even while a
 * write is between the two stores).
 *
 * <p>The caller's token reads an entry's current version only (its policy denies naming a
 * version, so it can never reach values deleted since). That current version is the
 * acknowledged one except while a write is between the two stores or after a write Vault
 * took and MySQL never acknowledged; then the acknowledged version is read with the gateway's
 * own token, for an entry the caller's token has just proven, in this same fetch, it may read.
 */
@Singleton
class BootFetch {

    private final SecretMetadata metadata;
    private final CallerReads reads;
    private final SecretValueStore store;
    private final AccessRecorder accesses;
    private final RolloutRecorder rollout;
    private final Clock clock;

    BootFetch(
            SecretMetadata metadata,
            CallerReads reads,
            SecretValueStore store,
            AccessRecorder accesses,
            RolloutRecorder rollout,
            Clock clock) {
        this.metadata = metadata;
        this.reads = reads;
        this.store = store;
        this.accesses = accesses;
        this.rollout = rollout;
        this.clock = clock;
    }

    /** A fetch's outcome: the revision, and the values unless the caller's copy is current. */
    record Fetched(String revision, Optional<SortedMap<String, String>> values) {
        @Override
        public String toString() {
            return "Fetched[revision=" + revision + ", keys="
                    + values.map(Map::keySet).orElse(null) + "]";
        }
    }

    /**
     * @param instance the instance id the caller sent (already checked), for the rollout ledger
     *     only; null when it sent none
     */
    Fetched fetch(
            Caller caller, CallerToken token, TokenInfo lookedUp, List<String> ifNoneMatch, @Nullable String instance) {
        Caller.Workload workload = Access.requireWorkload(caller);
        SecretMetadata.DeploymentKeys deployment = metadata.resolveDeployment(
                        workload.project(), workload.environment(), workload.service())
                .orElseThrow(() -> new ApiException(
                        ErrorCode.DEPLOYMENT_NOT_FOUND, "This token's deployment is no longer registered."));
        ScopeChain chain = deployment.chain();
        SortedMap<String, ScopeChain.Resolved<KeyVersion>> resolved = deployment.resolved();
        String revision = ConfigRevision.of(resolved, KeyVersion::version);
        long deploymentId = deployment.deployment().deploymentId();
        if (ETags.matches(ifNoneMatch, revision)) {
            // The caller holds the current revision: a poll of `run --watch` keeps its instance live.
            rollout.fetched(deploymentId, instance, lookedUp.accessor(), revision);
            return new Fetched(revision, Optional.empty());
        }
        if (lookedUp.limitedUses() && TokenRules.fetchesLeft(lookedUp.numUses()) < 1) {
            // Fewer Vault uses left than one fetch spends: refuse before spending any. A current
            // copy is confirmed above without a read, so it spends nothing and is still answered.
            throw new ApiException(ErrorCode.TOKEN_USED_UP, "This token has no boot fetch left; mint a new one.");
        }

        // Every scope that resolves a key is read; a token with a use limit reads every scope of the
        // chain, so that READS_PER_FETCH uses are one fetch (a read of an unused scope is ignored).
        Set<Scope> needed = new HashSet<>();
        resolved.values().forEach(r -> needed.add(r.source().scope()));
        List<Scope> readScopes = chain.scopes().stream()
                .filter(scope -> needed.contains(scope) || lookedUp.limitedUses())
                .toList();
        List<Optional<VersionedEntry>> current;
        try {
            current = reads.readAs(token, readScopes.stream().map(EntryPath::of).toList());
        } catch (CallerTokenRefusedException e) {
            throw new ApiException(
                    ErrorCode.TOKEN_REFUSED,
                    "The token authority refused this token for the "
                            + "deployment's entries (revoked, expired or out of uses since it was checked); fetch again "
                            + "with a new token if it persists.");
        }
        Map<Scope, VersionedEntry> entryByScope = new HashMap<>();
        for (int i = 0; i < readScopes.size(); i++) {
            Scope scope = readScopes.get(i);
            if (needed.contains(scope)) {
                entryByScope.put(scope, acknowledged(scope, current.get(i), deployment.acknowledgedVersions()));
            }
        }
        SortedMap<String, String> values = new TreeMap<>();
        List<Long> delivered = new ArrayList<>();
        resolved.forEach((key, r) -> {
            Scope scope = r.source().scope();
            var value = entryByScope.get(scope).values().get(key);
            if (value == null) {
                throw new ValueStoreException("version "
                        + entryByScope.get(scope).version() + " of entry " + EntryPath.of(scope) + " holds no " + key);
            }
            values.put(key, value.plaintext());
            delivered.add(r.source().item().secretId());
        });
        accesses.accessed(delivered, clock.instant());
        rollout.fetched(deploymentId, instance, lookedUp.accessor(), revision);
        return new Fetched(revision, Optional.of(values));
    }

    /** The scope's entry at the version MySQL acknowledged, from the caller's read when that is it. */
    private VersionedEntry acknowledged(Scope scope, Optional<VersionedEntry> current, Map<Scope, Integer> versions) {
        int version = versions.getOrDefault(scope, 0);
        if (current.isPresent() && current.get().version() == version) {
            return current.get();
        }
        return store.read(EntryPath.of(scope), version)
                .orElseThrow(() -> new ValueStoreException(
                        "acknowledged version " + version + " of entry " + EntryPath.of(scope) + " is not readable"));
    }
}
