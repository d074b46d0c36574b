package io.vaultgate.changeset;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.vaultgate.scope.EnvironmentType;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The drafts feature's tables ({@code V17}), in written SQL: conditional updates carry the state a
 * transition starts from, so two replicas (or two requests) can never both make it. Every method
 * runs inside the caller's transaction ({@code database.Transactions}).
 */
@Singleton
class DraftRows {

    private static final String DRAFT_COLUMNS = "d.id, d.project_id, p.slug, d.description, d.state, d.revision, "
            + "d.vault_version, d.author_accessor, d.author_name, d.created_at, d.updated_at, d.not_before, "
            + "d.released_by, d.released_by_name, d.release_request_id, d.applied_change_set, d.releasing_since, "
            + "d.released_at, d.release_restarts, d.failure_code, d.failure_detail, d.failure_at";
    private static final String FROM_DRAFT = " FROM change_set_draft d JOIN project p ON p.id = d.project_id ";

    private final JdbcOperations jdbc;

    DraftRows(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String id, long projectId, String description, String accessor, @Nullable String name, Instant now) {
        update(
                "INSERT INTO change_set_draft (id, project_id, description, state, revision, vault_version, "
                        + "author_accessor, author_name, created_at, updated_at, entry_to_delete) "
                        + "VALUES (?, ?, ?, 'draft', 0, 0, ?, ?, ?, ?, FALSE)",
                id,
                projectId,
                description,
                accessor,
                name,
                ts(now),
                ts(now));
    }

    Optional<Draft> find(long projectId, String id) {
        return query("SELECT " + DRAFT_COLUMNS + FROM_DRAFT + "WHERE d.id = ? AND d.project_id = ?", id, projectId)
                .stream()
                .findFirst();
    }

    Optional<Draft> findForUpdate(String id) {
        return query("SELECT " + DRAFT_COLUMNS + FROM_DRAFT + "WHERE d.id = ? FOR UPDATE", id).stream()
                .findFirst();
    }

    Optional<Draft> findById(String id) {
        return query("SELECT " + DRAFT_COLUMNS + FROM_DRAFT + "WHERE d.id = ?", id).stream()
                .findFirst();
    }

    List<Draft> list(long projectId, Collection<DraftState> states) {
        String in = states.stream().map(s -> "'" + s.wireName() + "'").collect(Collectors.joining(", "));
        return query(
                "SELECT " + DRAFT_COLUMNS + FROM_DRAFT + "WHERE d.project_id = ? AND d.state IN (" + in
                        + ") ORDER BY d.created_at DESC, d.id",
                projectId);
    }

    Map<String, Integer> operationCounts(Collection<String> draftIds) {
        Map<String, Integer> counts = new HashMap<>();
        if (draftIds.isEmpty()) {
            return counts;
        }
        String in = draftIds.stream().map(id -> "?").collect(Collectors.joining(", "));
        jdbc.prepareStatement(
                "SELECT draft_id, COUNT(*) FROM change_set_draft_operation WHERE draft_id IN (" + in
                        + ") GROUP BY draft_id",
                statement -> {
                    int i = 1;
                    for (String id : draftIds) {
                        statement.setString(i++, id);
                    }
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            counts.put(rows.getString(1), rows.getInt(2));
                        }
                    }
                    return null;
                });
        return counts;
    }

    List<DraftOperation> operations(String draftId) {
        return jdbc.prepareStatement(
                "SELECT entry_path, key_name, operation, forced, reviewed_version, staged_revision, staged_at "
                        + "FROM change_set_draft_operation WHERE draft_id = ? ORDER BY entry_path, key_name",
                statement -> {
                    statement.setString(1, draftId);
                    List<DraftOperation> operations = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            operations.add(new DraftOperation(
                                    rows.getString(1),
                                    rows.getString(2),
                                    rows.getString(3).equals("delete"),
                                    rows.getBoolean(4),
                                    rows.getInt(5),
                                    rows.getInt(6),
                                    instant(rows.getTimestamp(7))));
                        }
                    }
                    return operations;
                });
    }

    /** Replaces the operations on these keys of one scope (a later staging of a key wins). */
    void putOperations(String draftId, String entryPath, List<DraftOperation> operations) {
        for (DraftOperation operation : operations) {
            update(
                    "DELETE FROM change_set_draft_operation WHERE draft_id = ? AND entry_path = ? AND key_name = ?",
                    draftId,
                    entryPath,
                    operation.key());
            update(
                    "INSERT INTO change_set_draft_operation (draft_id, entry_path, key_name, operation, "
                            + "forced, reviewed_version, staged_revision, staged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    draftId,
                    entryPath,
                    operation.key(),
                    operation.operation(),
                    operation.forced(),
                    operation.reviewedVersion(),
                    operation.stagedRevision(),
                    ts(operation.stagedAt()));
        }
    }

    /** The next revision, with the Vault version that holds its values. */
    void staged(String draftId, int revision, int vaultVersion, Instant now) {
        update(
                "UPDATE change_set_draft SET revision = ?, vault_version = ?, updated_at = ? WHERE id = ?",
                revision,
                vaultVersion,
                ts(now),
                draftId);
    }

    List<Approval> approvals(String draftId) {
        return jdbc.prepareStatement(
                "SELECT revision, accessor, display_name, approved_at FROM change_set_approval "
                        + "WHERE draft_id = ? ORDER BY id",
                statement -> {
                    statement.setString(1, draftId);
                    List<Approval> approvals = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            approvals.add(new Approval(
                                    rows.getInt(1),
                                    rows.getString(2),
                                    rows.getString(3),
                                    instant(rows.getTimestamp(4))));
                        }
                    }
                    return approvals;
                });
    }

    void insertApproval(String draftId, Approval approval) {
        update(
                "INSERT INTO change_set_approval (draft_id, revision, accessor, display_name, approved_at) "
                        + "VALUES (?, ?, ?, ?, ?)",
                draftId,
                approval.revision(),
                approval.accessor(),
                approval.displayName(),
                ts(approval.approvedAt()));
    }

    /** Rejected or discarded: closed for good, its Vault entry to delete. */
    void close(String draftId, DraftState state, Instant now) {
        update(
                "UPDATE change_set_draft SET state = ?, updated_at = ?, entry_to_delete = TRUE WHERE id = ?",
                state.wireName(),
                ts(now),
                draftId);
    }

    void schedule(String draftId, Instant notBefore, ReleaseRequest by, Instant now) {
        update(
                "UPDATE change_set_draft SET state = 'scheduled', not_before = ?, released_by = ?, "
                        + "released_by_name = ?, release_request_id = ?, updated_at = ? WHERE id = ?",
                ts(notBefore),
                by.accessor(),
                by.displayName(),
                by.requestId(),
                ts(now),
                draftId);
    }

    /**
     * Takes a draft for release: it must still be in a state a release starts from, at the revision
     * the approvals were counted for (and, for a scheduled draft claimed by the job, be due).
     *
     * @return whether this caller took it
     */
    boolean claim(
            String draftId,
            Collection<DraftState> from,
            int revision,
            @Nullable Instant dueBy,
            String changeSetId,
            ReleaseRequest by,
            Instant now) {
        String in = from.stream().map(s -> "'" + s.wireName() + "'").collect(Collectors.joining(", "));
        return update(
                        "UPDATE change_set_draft SET state = 'releasing', applied_change_set = ?, releasing_since = ?, "
                                + "released_by = ?, released_by_name = ?, release_request_id = ?, updated_at = ? "
                                + "WHERE id = ? AND state IN (" + in + ") AND revision = ?"
                                + (dueBy == null ? "" : " AND not_before <= ?"),
                        dueBy == null
                                ? new Object[] {
                                    changeSetId,
                                    ts(now),
                                    by.accessor(),
                                    by.displayName(),
                                    by.requestId(),
                                    ts(now),
                                    draftId,
                                    revision
                                }
                                : new Object[] {
                                    changeSetId,
                                    ts(now),
                                    by.accessor(),
                                    by.displayName(),
                                    by.requestId(),
                                    ts(now),
                                    draftId,
                                    revision,
                                    ts(dueBy)
                                })
                == 1;
    }

    /** Released, if it is still releasing with that change-set. */
    boolean released(String draftId, String changeSetId, @Nullable String restarts, Instant now) {
        return update(
                        "UPDATE change_set_draft SET state = 'released', released_at = ?, release_restarts = ?, "
                                + "failure_code = NULL, failure_detail = NULL, failure_at = NULL, updated_at = ?, "
                                + "entry_to_delete = TRUE WHERE id = ? AND state = 'releasing' AND applied_change_set = ?",
                        ts(now),
                        restarts,
                        ts(now),
                        draftId,
                        changeSetId)
                == 1;
    }

    /** Back to {@code draft} with the reason, if it is still releasing with that change-set. */
    boolean failed(String draftId, String changeSetId, String code, String detail, Instant now) {
        return update(
                        "UPDATE change_set_draft SET state = 'draft', applied_change_set = NULL, releasing_since = NULL, "
                                + "not_before = NULL, failure_code = ?, failure_detail = ?, failure_at = ?, updated_at = ? "
                                + "WHERE id = ? AND state = 'releasing' AND applied_change_set = ?",
                        code,
                        detail.length() > 1000 ? detail.substring(0, 1000) : detail,
                        ts(now),
                        ts(now),
                        draftId,
                        changeSetId)
                == 1;
    }

    /** A scheduled draft the job found it may not release (approvals short): back to draft, with the reason. */
    boolean unscheduled(String draftId, int revision, String code, String detail, Instant now) {
        return update(
                        "UPDATE change_set_draft SET state = 'draft', not_before = NULL, failure_code = ?, "
                                + "failure_detail = ?, failure_at = ?, updated_at = ? "
                                + "WHERE id = ? AND state = 'scheduled' AND revision = ?",
                        code,
                        detail.length() > 1000 ? detail.substring(0, 1000) : detail,
                        ts(now),
                        ts(now),
                        draftId,
                        revision)
                == 1;
    }

    List<String> due(Instant now, int limit) {
        return ids(
                "SELECT id FROM change_set_draft WHERE state = 'scheduled' AND not_before <= ? ORDER BY not_before LIMIT "
                        + limit,
                ts(now));
    }

    List<String> releasing() {
        return ids("SELECT id FROM change_set_draft WHERE state = 'releasing'");
    }

    List<String> entriesToDelete(int limit) {
        return ids("SELECT id FROM change_set_draft WHERE entry_to_delete = TRUE LIMIT " + limit);
    }

    void entryDeleted(String draftId) {
        update("UPDATE change_set_draft SET entry_to_delete = FALSE WHERE id = ?", draftId);
    }

    Optional<StagedAnswer> stageAnswer(String idempotencyHash) {
        return jdbc.prepareStatement(
                "SELECT route, draft_id, answer FROM change_set_stage_request WHERE idempotency_hash = ?",
                statement -> {
                    statement.setString(1, idempotencyHash);
                    try (ResultSet rows = statement.executeQuery()) {
                        return rows.next()
                                ? Optional.of(new StagedAnswer(rows.getString(1), rows.getString(2), rows.getString(3)))
                                : Optional.empty();
                    }
                });
    }

    void insertStageAnswer(String idempotencyHash, StagedAnswer answer, Instant now) {
        update(
                "INSERT INTO change_set_stage_request (idempotency_hash, route, draft_id, answer, created_at) "
                        + "VALUES (?, ?, ?, ?, ?)",
                idempotencyHash,
                answer.route(),
                answer.draftId(),
                answer.json(),
                ts(now));
    }

    /** What a staging request with an Idempotency-Key answered. */
    record StagedAnswer(String route, String draftId, String json) {}

    Map<EnvironmentType, ApprovalRule> rules(long projectId) {
        Map<EnvironmentType, ApprovalRule> rules = new EnumMap<>(EnvironmentType.class);
        for (EnvironmentType type : EnvironmentType.values()) {
            rules.put(type, ApprovalRule.defaultFor(type));
        }
        jdbc.prepareStatement(
                "SELECT environment_type, approvals, author_may_approve FROM approval_rule WHERE project_id = ?",
                statement -> {
                    statement.setLong(1, projectId);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            EnvironmentType type = EnvironmentType.stored(rows.getString(1));
                            rules.put(type, new ApprovalRule(type, rows.getInt(2), rows.getBoolean(3)));
                        }
                    }
                    return null;
                });
        return rules;
    }

    void putRule(long projectId, ApprovalRule rule, String by, Instant now) {
        update(
                "DELETE FROM approval_rule WHERE project_id = ? AND environment_type = ?",
                projectId,
                rule.environmentType().wireName());
        update(
                "INSERT INTO approval_rule (project_id, environment_type, approvals, author_may_approve, updated_at, "
                        + "updated_by) VALUES (?, ?, ?, ?, ?, ?)",
                projectId,
                rule.environmentType().wireName(),
                rule.approvals(),
                rule.authorMayApprove(),
                ts(now),
                by);
    }

    // --- plumbing -----------------------------------------------------------------------------

    private List<Draft> query(String sql, Object... parameters) {
        return jdbc.prepareStatement(sql, statement -> {
            bind(statement, parameters);
            List<Draft> drafts = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    drafts.add(new Draft(
                            rows.getString(1),
                            rows.getLong(2),
                            rows.getString(3),
                            rows.getString(4),
                            DraftState.stored(rows.getString(5)),
                            rows.getInt(6),
                            rows.getInt(7),
                            rows.getString(8),
                            rows.getString(9),
                            instant(rows.getTimestamp(10)),
                            instant(rows.getTimestamp(11)),
                            instant(rows.getTimestamp(12)),
                            rows.getString(13),
                            rows.getString(14),
                            rows.getString(15),
                            rows.getString(16),
                            instant(rows.getTimestamp(17)),
                            instant(rows.getTimestamp(18)),
                            rows.getString(19),
                            rows.getString(20),
                            rows.getString(21),
                            instant(rows.getTimestamp(22))));
                }
            }
            return drafts;
        });
    }

    private List<String> ids(String sql, Object... parameters) {
        return jdbc.prepareStatement(sql, statement -> {
            bind(statement, parameters);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        });
    }

    private int update(String sql, Object... parameters) {
        return jdbc.prepareStatement(sql, statement -> {
            bind(statement, parameters);
            return statement.executeUpdate();
        });
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object parameter = parameters[i];
            if (parameter == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else {
                statement.setObject(i + 1, parameter);
            }
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    @Nullable
    private static Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
