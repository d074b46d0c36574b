package io.vaultgate.database;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Lets a database migrated by 0.1 take the migrations as they are now. 0.1's V3 and V4 also
 * created dev mode's token tables in production; those moved to dev mode's own location
 * ({@code db/dev}), which changed the two files' checksums, and Flyway refuses to migrate a
 * database whose history records other checksums for files it still has. Before Flyway validates,
 * this rewrites exactly those two recorded checksums, and only where they are 0.1's (the files'
 * old contents): any other mismatch still stops the start, as it should, and once rewritten
 * nothing matches again. The history table is the one Flyway is configured with
 * ({@code flyway.datasources.default.table}). {@link FlywayCallbacks} gives it to Flyway.
 */
public final class MigrationHistory implements Callback {

    /** version → {0.1's checksum, today's}; MigrationHistoryTest checks today's against the files. */
    static final Map<String, int[]> MOVED_DEV_TABLES = Map.of(
            "3", new int[] {1935800838, -488945564},
            "4", new int[] {-1433172248, 195388464});

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Connection connection = context.getConnection();
        try {
            Optional<String> history =
                    storedName(connection, context.getConfiguration().getTable());
            if (history.isEmpty()) {
                return;
            }
            String quote = connection.getMetaData().getIdentifierQuoteString().strip();
            for (Map.Entry<String, int[]> moved : MOVED_DEV_TABLES.entrySet()) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE " + quote + history.get() + quote
                        + " SET checksum = ? WHERE version = ? AND checksum = ?")) {
                    update.setInt(1, moved.getValue()[1]);
                    update.setString(2, moved.getKey());
                    update.setInt(3, moved.getValue()[0]);
                    update.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("could not bring 0.1's migration history up to date", e);
        }
    }

    @Override
    public String getCallbackName() {
        return "vaultgate-moved-dev-tables";
    }

    /**
     * The history table's name as the database stores it, if it exists yet: as configured, or in
     * upper case where the database folds unquoted names so.
     */
    private static Optional<String> storedName(Connection connection, String table) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet tables = metadata.getTables(connection.getCatalog(), null, literal(name, metadata), null)) {
                if (tables.next()) {
                    return Optional.of(tables.getString("TABLE_NAME"));
                }
            }
        }
        return Optional.empty();
    }

    /** The name as a metadata search pattern that matches only itself ('_' and '%' are wildcards there). */
    private static String literal(String name, DatabaseMetaData metadata) throws SQLException {
        String escape = metadata.getSearchStringEscape();
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
