package io.vaultgate.changeset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultgate.audit.AuditEntry;
import io.vaultgate.audit.AuditLog;
import io.vaultgate.database.Transactions;
import io.vaultgate.project.Catalog;
import io.vaultgate.project.Project;
import io.vaultgate.secret.DraftStaging;
import io.vaultgate.secret.LimitsProperties;
import io.vaultgate.values.CasMismatchException;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stages validated changes into a draft ({@code ?changeSet={id}} on a write route): the values
 * go to a new version of the draft's Vault entry (built from the version of the current
 * revision, check-and-set on the entry's latest), then one MySQL transaction replaces the
 * operations, moves the revision (voiding earlier approvals) and records that version, only if
 * no other staging moved it meanwhile. A staging that loses that race starts again from the new
 * revision; one whose draft closed meanwhile is refused, and its values are deleted with the entry.
 */
@Singleton
class StagingIntoDrafts implements DraftStaging {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;

    private final Catalog catalog;
    private final DraftRows rows;
    private final DraftValues values;
    private final LimitsProperties limits;
    private final AuditLog audit;
    private final Transactions transactions;
    private final Clock clock;

    StagingIntoDrafts(
            Catalog catalog,
            DraftRows rows,
            DraftValues values,
            LimitsProperties limits,
            AuditLog audit,
            Transactions transactions,
            Clock clock) {
        this.catalog = catalog;
        this.rows = rows;
        this.values = values;
        this.limits = limits;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public Staged stage(Request request) {
        Project project = catalog.requireProject(request.scope().project());
        String hash = idempotencyHash(request);
        if (hash != null) {
            Optional<Staged> earlier = replay(hash, request);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Draft draft = transactions
                    .executeRead(status -> rows.find(project.id(), request.draftId()))
                    .orElseThrow(() -> Drafts.notFound(request.draftId()));
            if (draft.state() != DraftState.DRAFT) {
                audit(project, request, ErrorCode.CHANGE_SET_CLOSED);
                requireDraft(draft);
            }
            Map<String, SecretValue> staged =
                    new LinkedHashMap<>(values.read(project.slug(), draft.id(), draft.vaultVersion()));
            String entryPath = EntryPath.of(request.scope()).path();
            for (Key key : request.keys()) {
                String field = DraftValues.field(entryPath, key.key());
                if (key.value() == null) {
                    staged.remove(field);
                } else {
                    staged.put(field, key.value());
                }
            }
            requireSize(staged);
            int version;
            try {
                version = values.write(project.slug(), draft.id(), staged);
            } catch (CasMismatchException concurrentStaging) {
                continue;
            }
            Optional<Staged> answer = record(project, draft, request, version, hash);
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        throw new ApiException(
                ErrorCode.CONCURRENT_CHANGE,
                "Other changes were being staged into change-set draft " + request.draftId()
                        + " at the same moment; this one was not staged. Send it again.");
    }

    /** @return empty when another staging moved the draft first */
    private Optional<Staged> record(Project project, Draft read, Request request, int version, String hash) {
        Instant now = clock.instant();
        String entryPath = EntryPath.of(request.scope()).path();
        Optional<Draft> closed = transactions.executeWrite(status -> {
            Draft draft = rows.findForUpdate(read.id()).orElseThrow();
            if (draft.state().terminal()) {
                // Closed meanwhile, maybe after its entry was deleted: what was just written must not outlive it.
                rows.close(draft.id(), draft.state(), now);
            }
            return draft.state() == DraftState.DRAFT ? Optional.<Draft>empty() : Optional.of(draft);
        });
        if (closed.isPresent()) {
            audit(project, request, ErrorCode.CHANGE_SET_CLOSED);
            requireDraft(closed.get());
        }
        try {
            return transactions.executeWrite(status -> {
                Draft draft = rows.findForUpdate(read.id()).orElseThrow();
                requireDraft(draft);
                if (draft.vaultVersion() != read.vaultVersion() || draft.revision() != read.revision()) {
                    return Optional.empty();
                }
                int revision = draft.revision() + 1;
                rows.putOperations(
                        draft.id(),
                        entryPath,
                        request.keys().stream()
                                .map(k -> new DraftOperation(
                                        entryPath,
                                        k.key(),
                                        k.value() == null,
                                        k.forced(),
                                        k.reviewedVersion(),
                                        revision,
                                        now))
                                .toList());
                rows.staged(draft.id(), revision, version, now);
                Staged staged = new Staged(
                        draft.id(),
                        revision,
                        request.scope().apiPath(),
                        request.keys().stream()
                                .map(k -> new StagedOperation(k.key(), k.value() == null ? "delete" : "set"))
                                .toList(),
                        true);
                if (hash != null) {
                    rows.insertStageAnswer(
                            hash, new DraftRows.StagedAnswer(request.route(), draft.id(), json(staged)), now);
                }
                audit.record(AuditEntry.of(
                                project.id(),
                                request.actor(),
                                "change-set.stage",
                                request.scope().apiPath())
                        .keys(request.keys().stream().map(Key::key).toList())
                        .unchanged(request.unchanged())
                        .changeSet(draft.id()));
                return Optional.of(staged);
            });
        } catch (ApiException refused) {
            audit(project, request, refused.errorCode());
            throw refused;
        }
    }

    private Optional<Staged> replay(String hash, Request request) {
        return transactions.executeRead(status -> rows.stageAnswer(hash)).map(earlier -> {
            if (!earlier.route().equals(request.route()) || !earlier.draftId().equals(request.draftId())) {
                throw new ApiException(
                        ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "This Idempotency-Key was first used for another request; use a new key for a new request.",
                        "Idempotency-Key");
            }
            try {
                return JSON.readValue(earlier.json(), Staged.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable staging answer", e);
            }
        });
    }

    private void audit(Project project, Request request, ErrorCode code) {
        transactions.executeWrite(status -> {
            audit.record(AuditEntry.of(
                            project.id(),
                            request.actor(),
                            "change-set.stage",
                            request.scope().apiPath())
                    .keys(request.keys().stream().map(Key::key).toList())
                    .changeSet(request.draftId())
                    .ended(io.vaultgate.audit.Outcome.REFUSED, code));
            return null;
        });
    }

    private static void requireDraft(Draft draft) {
        if (draft.state() != DraftState.DRAFT) {
            throw new ApiException(
                    ErrorCode.CHANGE_SET_CLOSED,
                    "Change-set draft " + draft.id() + " is " + draft.state().wireName()
                            + "; changes are staged only into a draft in state draft.",
                    "changeSet");
        }
    }

    /** A draft's staged values are held to a scope's limits: its Vault entry is one entry like a scope's. */
    private void requireSize(Map<String, SecretValue> staged) {
        if (staged.size() > limits.scopeKeys()) {
            throw new ApiException(
                    ErrorCode.SCOPE_TOO_LARGE,
                    "The change-set draft would hold " + staged.size() + " staged values; the limit is "
                            + limits.scopeKeys() + ".");
        }
        long bytes = staged.entrySet().stream()
                .mapToLong(e -> e.getKey().length() + e.getValue().utf8Length())
                .sum();
        if (bytes > limits.scopeBytes()) {
            throw new ApiException(
                    ErrorCode.SCOPE_TOO_LARGE,
                    "The change-set draft would hold " + bytes + " bytes of staged names and values; the limit is "
                            + limits.scopeBytes() + " bytes.");
        }
    }

    private static String idempotencyHash(Request request) {
        if (request.idempotencyKey() == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("stage\n" + request.actor().accessor() + "\n" + request.idempotencyKey())
                            .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Staged staged) {
        try {
            return JSON.writeValueAsString(staged);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
