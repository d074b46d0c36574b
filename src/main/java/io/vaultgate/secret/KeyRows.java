package io.vaultgate.secret;

import io.micronaut.data.exceptions.DataAccessException;
import io.vaultgate.database.StoredTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rows a change-set writes one per key ({@code change_set_key}, {@code secret},
 * {@code secret_version}), on the transaction's connection. Micronaut Data's {@code saveAll}
 * inserts an entity whose id the database generates one statement at a time on MySQL (it does not
 * batch inserts whose generated keys it must read back), so a 5,000-key import cost three round
 * trips a key. Inserts here are multi-row statements of up to {@link #ROWS_PER_INSERT} rows,
 * whatever the driver's settings, and history rows are copied from the key rows by the server;
 * updates are JDBC batches, one round trip when Connector/J rewrites batches. Times are bound as
 * the wall time the connection would store ({@link StoredTimes}): bound as instants, Connector/J
 * formatted each with a new {@code SimpleDateFormat}, about 2,000 for a 1,000-key import. Values
 * never reach these rows.
 */
final class KeyRows {

    /** 10 columns a row at most: far below MySQL's 65,535 placeholders a statement. */
    static final int ROWS_PER_INSERT = 1_000;

    /** Under MariaDB's in_predicate_conversion_threshold (1,000): an IN list that stays a range. */
    static final int KEYS_PER_LOOKUP = 500;

    private static final String INSERT_CHANGE_SET_KEY =
            "INSERT INTO change_set_key (change_set_id, key_name, operation, scope_entry_id) VALUES ";
    private static final String MARK_UNCHANGED =
            "UPDATE change_set_key SET operation = ? WHERE change_set_id = ? AND scope_entry_id ";
    private static final String INSERT_SECRET = "INSERT INTO secret (scope_entry_id, key_name, version, vault_version,"
            + " deleted, created_at, created_by, updated_at, updated_by, last_accessed_at) VALUES ";
    private static final String UPDATE_SECRET = "UPDATE secret SET version = ?, vault_version = ?, deleted = ?,"
            + " created_at = ?, created_by = ?, updated_at = ?, updated_by = ? WHERE id = ?";
    // Ordered by id, so statement-based replication inserts the rows in the same order.
    private static final String INSERT_VERSIONS_OF = "INSERT INTO secret_version (secret_id, version, vault_version,"
            + " deleted, change_set_id, actor, created_at) SELECT id, version, vault_version, deleted, ?, ?, ?"
            + " FROM secret WHERE scope_entry_id = ? AND key_name IN (";

    private KeyRows() {}

    static void insertChangeSetKeys(Connection connection, Collection<ChangeSetKey> keys) {
        insert(connection, INSERT_CHANGE_SET_KEY, 4, keys, (statement, at, key) -> {
            statement.setString(at + 1, key.changeSetId());
            statement.setString(at + 2, key.keyName());
            statement.setString(at + 3, key.operation().wireName());
            if (key.scopeEntryId() == null) {
                statement.setNull(at + 4, Types.BIGINT);
            } else {
                statement.setLong(at + 4, key.scopeEntryId());
            }
        });
    }

    /**
     * Marks {@code keys} of the change-set {@code unchanged}, by name, so a writer need not have
     * read its rows' ids back: a change-set names a key once at each scope entry it writes
     * ({@code scope_entry_id} null for one that writes a single entry).
     */
    static void markUnchanged(Connection connection, String changeSetId, Collection<ChangeSetKey> keys) {
        Map<Optional<Long>, List<String>> byEntry = new LinkedHashMap<>();
        keys.forEach(key -> byEntry.computeIfAbsent(Optional.ofNullable(key.scopeEntryId()), e -> new ArrayList<>())
                .add(key.keyName()));
        byEntry.forEach((entry, names) -> {
            for (int from = 0; from < names.size(); from += KEYS_PER_LOOKUP) {
                List<String> chunk = names.subList(from, Math.min(names.size(), from + KEYS_PER_LOOKUP));
                String sql = MARK_UNCHANGED + (entry.isPresent() ? "= ?" : "IS NULL") + " AND key_name IN ("
                        + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")";
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    int at = 1;
                    statement.setString(at++, Operation.UNCHANGED.wireName());
                    statement.setString(at++, changeSetId);
                    if (entry.isPresent()) {
                        statement.setLong(at++, entry.get());
                    }
                    for (String name : chunk) {
                        statement.setString(at++, name);
                    }
                    statement.executeUpdate();
                } catch (SQLException e) {
                    throw failed(chunk.size(), MARK_UNCHANGED, e);
                }
            }
        });
    }

    /** Inserts rows for keys the scope never held. */
    static void insertSecrets(Connection connection, Collection<Secret> secrets) {
        ZoneId zone = StoredTimes.zoneOf(connection);
        insert(connection, INSERT_SECRET, 10, secrets, (statement, at, secret) -> {
            statement.setLong(at + 1, secret.scopeEntryId());
            statement.setString(at + 2, secret.keyName());
            statement.setInt(at + 3, secret.version());
            statement.setInt(at + 4, secret.vaultVersion());
            statement.setBoolean(at + 5, secret.deleted());
            statement.setObject(at + 6, StoredTimes.in(zone, secret.createdAt()));
            statement.setString(at + 7, secret.createdBy());
            statement.setObject(at + 8, StoredTimes.in(zone, secret.updatedAt()));
            statement.setString(at + 9, secret.updatedBy());
            if (secret.lastAccessedAt() == null) {
                statement.setNull(at + 10, Types.TIMESTAMP);
            } else {
                statement.setObject(at + 10, StoredTimes.in(zone, secret.lastAccessedAt()));
            }
        });
    }

    /** Updates what a change-set changes of existing rows; {@code last_accessed_at} is the flush's alone. */
    static void updateSecrets(Connection connection, Collection<Secret> secrets) {
        ZoneId zone = StoredTimes.zoneOf(connection);
        batch(connection, UPDATE_SECRET, secrets, (statement, secret) -> {
            statement.setInt(1, secret.version());
            statement.setInt(2, secret.vaultVersion());
            statement.setBoolean(3, secret.deleted());
            statement.setObject(4, StoredTimes.in(zone, secret.createdAt()));
            statement.setString(5, secret.createdBy());
            statement.setObject(6, StoredTimes.in(zone, secret.updatedAt()));
            statement.setString(7, secret.updatedBy());
            statement.setLong(8, secret.id());
        });
    }

    /**
     * One history row for each of {@code keys} as its {@code secret} row now stands, copied by the
     * server ({@code INSERT … SELECT}): the ids of rows just inserted are never read back, and no
     * row is sent twice. {@link #KEYS_PER_LOOKUP} names a statement keep it a range of record locks
     * on the unique (scope entry, key) index; a longer list MariaDB turns into a join that locks
     * the scope's whole range, gaps included. Not by the entry alone, even when it holds only these
     * keys: where the entry is much of the table, MariaDB reads that by the primary key or the whole
     * table, locking every row it reads, other scopes' too.
     */
    static void insertVersions(
            Connection connection,
            long scopeEntryId,
            List<String> keys,
            String changeSetId,
            String actor,
            Instant createdAt) {
        for (int from = 0; from < keys.size(); from += KEYS_PER_LOOKUP) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_LOOKUP));
            String sql =
                    INSERT_VERSIONS_OF + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ") ORDER BY id";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, changeSetId);
                statement.setString(2, actor);
                statement.setObject(3, StoredTimes.of(connection, createdAt));
                statement.setLong(4, scopeEntryId);
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setString(5 + i, chunk.get(i));
                }
                statement.executeUpdate();
            } catch (SQLException e) {
                throw failed(chunk.size(), INSERT_VERSIONS_OF, e);
            }
        }
    }

    private interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    private interface RowBinder<T> {
        /** Binds {@code row}'s columns after the first {@code at} parameters of the statement. */
        void bind(PreparedStatement statement, int at, T row) throws SQLException;
    }

    private static <T> void insert(
            Connection connection, String insertValues, int columns, Collection<T> rows, RowBinder<T> binder) {
        List<T> all = List.copyOf(rows);
        String row = "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
        for (int from = 0; from < all.size(); from += ROWS_PER_INSERT) {
            List<T> chunk = all.subList(from, Math.min(all.size(), from + ROWS_PER_INSERT));
            String sql = insertValues + String.join(", ", Collections.nCopies(chunk.size(), row));
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    binder.bind(statement, i * columns, chunk.get(i));
                }
                statement.executeUpdate();
            } catch (SQLException e) {
                throw failed(chunk.size(), insertValues, e);
            }
        }
    }

    private static DataAccessException failed(int rows, String sql, SQLException e) {
        // The same exception Micronaut Data throws, so metadata failures and deadlock retries are
        // told apart as for every other statement. The message names the statement only.
        return new DataAccessException(rows + " rows failed: " + sql, e);
    }

    private static <T> void batch(Connection connection, String sql, Collection<T> rows, Binder<T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw failed(rows.size(), sql, e);
        }
    }

    static List<String> keyNames(Collection<Secret> secrets) {
        return secrets.stream().map(Secret::keyName).toList();
    }
}
