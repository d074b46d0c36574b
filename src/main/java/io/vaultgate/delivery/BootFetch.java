package io.vaultgate.delivery;

import io.vaultgate.identity.Access;
import io.vaultgate.identity.Caller;
import io.vaultgate.identity.TokenRules;
import io.vaultgate.scope.Scope;
import io.vaultgate.scope.ScopeChain;
import io.vaultgate.secret.ConfigRevision;
import io.vaultgate.secret.SecretMetadata;
import io.vaultgate.secret.SecretMetadata.KeyVersion;
import io.vaultgate.vault.CallerReads;
import io.vaultgate.vault.CallerReads.EntryRead;
import io.vaultgate.vault.CallerToken;
import io.vaultgate.vault.CallerTokenRefusedException;
import io.vaultgate.vault.TokenInfo;
import io.vaultgate.vault.ValueStoreException;
import io.vaultgate.vault.VersionedEntry;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One boot fetch: the caller's deployment with its resolved keys and their versions (one SQL
 * statement), the config revision from those, then, unless the caller already has that
 * revision, one parallel read per scope entry with the caller's own token, values taken at
 * exactly the entry versions MySQL acknowledged (so the values match the revision even while a
 * write is between the two stores).
 */
@Singleton
class BootFetch {

    private final SecretMetadata metadata;
    private final CallerReads reads;
    private final AccessRecorder accesses;
    private final Clock clock;

    BootFetch(SecretMetadata metadata, CallerReads reads, AccessRecorder accesses, Clock clock) {
        this.metadata = metadata;
        this.reads = reads;
        this.accesses = accesses;
        this.clock = clock;
    }

    /** A fetch's outcome: the revision, and the values unless the caller's copy is current. */
    record Fetched(String revision, Optional<SortedMap<String, String>> values) {
        @Override
        public String toString() {
            return "Fetched[revision=" + revision + ", keys=" + values.map(Map::keySet).orElse(null) + "]";
        }
    }

    Fetched fetch(Caller caller, CallerToken token, TokenInfo lookedUp, List<String> ifNoneMatch) {
        Caller.Workload workload = Access.requireWorkload(caller);
        if (lookedUp.limitedUses() && TokenRules.fetchesLeft(lookedUp.numUses()) < 1) {
            // Fewer Vault uses left than one fetch spends: refuse before spending any.
            throw new ApiException(ErrorCode.TOKEN_USED_UP, "This token has no boot fetch left; mint a new one.");
        }
        SecretMetadata.DeploymentKeys deployment = metadata.resolveDeployment(workload.project(),
                workload.environment(), workload.service()).orElseThrow(() -> new ApiException(
                ErrorCode.DEPLOYMENT_NOT_FOUND, "This token's deployment is no longer registered."));
        ScopeChain chain = deployment.chain();
        SortedMap<String, ScopeChain.Resolved<KeyVersion>> resolved = deployment.resolved();
        String revision = ConfigRevision.of(resolved, KeyVersion::version);
        if (ETags.matches(ifNoneMatch, revision)) {
            return new Fetched(revision, Optional.empty());
        }

        // The entry version to read per scope: the newest version holding a key resolved from it
        // (every version from there to the acknowledged one holds the same values for those keys).
        Map<Scope, Integer> versionByScope = new HashMap<>();
        resolved.values().forEach(r -> versionByScope.merge(r.source().scope(), r.source().item().vaultVersion(),
                Math::max));
        List<Scope> readScopes = new ArrayList<>();
        List<EntryRead> entryReads = new ArrayList<>();
        for (Scope scope : chain.scopes()) {
            Integer version = versionByScope.get(scope);
            // A token with a use limit always spends exactly one read per scope, so that
            // READS_PER_FETCH uses are one fetch; a read of an unused scope is made and ignored.
            if (version != null || lookedUp.limitedUses()) {
                readScopes.add(scope);
                entryReads.add(new EntryRead(scope.entryPath(), version == null ? 0 : version));
            }
        }
        List<Optional<VersionedEntry>> entries;
        try {
            entries = reads.readAs(token, entryReads);
        } catch (CallerTokenRefusedException e) {
            throw new ApiException(ErrorCode.TOKEN_REFUSED, "The token authority refused this token for the "
                    + "deployment's entries (revoked, expired or out of uses since it was checked, or its policy "
                    + "is being rewritten); fetch again with a new token if it persists.");
        }
        Map<Scope, VersionedEntry> entryByScope = new HashMap<>();
        for (int i = 0; i < readScopes.size(); i++) {
            Scope scope = readScopes.get(i);
            if (versionByScope.containsKey(scope)) {
                int version = versionByScope.get(scope);
                entryByScope.put(scope, entries.get(i).orElseThrow(() -> new ValueStoreException(
                        "version " + version + " of entry " + scope.entryPath() + " is not readable")));
            }
        }
        SortedMap<String, String> values = new TreeMap<>();
        List<Long> delivered = new ArrayList<>();
        resolved.forEach((key, r) -> {
            Scope scope = r.source().scope();
            var value = entryByScope.get(scope).values().get(key);
            if (value == null) {
                throw new ValueStoreException("version " + entryByScope.get(scope).version() + " of entry "
                        + scope.entryPath() + " holds no " + key);
            }
            values.put(key, value.plaintext());
            delivered.add(r.source().item().secretId());
        });
        accesses.accessed(delivered, clock.instant());
        return new Fetched(revision, Optional.of(values));
    }
}
