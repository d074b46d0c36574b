package io.vaultgate.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/**
 * The migrations production runs create nothing of dev mode's, dev mode's add its token tables,
 * and a database 0.1 migrated (whose history holds V3 and V4 as they were) starts on today's.
 * On H2 in MySQL mode, as dev mode runs them.
 */
class MigrationHistoryTest {

    private static final String PRODUCTION = "classpath:db/migration";
    private static final String DEV = "classpath:db/dev";
    private static final String HISTORY = "flyway_schema_history";

    private final String url =
            "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";

    private Flyway flyway(boolean withCallback, String... locations) {
        return flyway(HISTORY, withCallback, locations);
    }

    private Flyway flyway(String table, boolean withCallback, String... locations) {
        var configuration =
                Flyway.configure().dataSource(url, "sa", "").table(table).locations(locations);
        return (withCallback ? configuration.callbacks(new MigrationHistory()) : configuration).load();
    }

    @Test
    void productionMigrationsCreateNoneOfDevModesTables() throws SQLException {
        flyway(true, PRODUCTION).migrate();

        assertThat(tableExists("local_token")).isFalse();
        assertThat(tableExists("local_policy")).isFalse();
        assertThat(tableExists("issued_token")).isTrue();
    }

    @Test
    void devModeMigrationsAddItsTokenTables() throws SQLException {
        flyway(true, PRODUCTION, DEV).migrate();

        assertThat(tableExists("local_token")).isTrue();
        assertThat(tableExists("local_policy")).isTrue();
        assertThat(column("local_token", "bound_to")).isTrue();
    }

    @Test
    void theChecksumsItWritesAreTodaysFiles() throws SQLException {
        flyway(false, PRODUCTION).migrate();

        MigrationHistory.MOVED_DEV_TABLES.forEach((version, checksums) ->
                assertThat(recordedChecksum(version)).as("V" + version).isEqualTo(checksums[1]));
    }

    @Test
    void aDatabaseThat01MigratedStartsOnTodaysMigrations() throws SQLException {
        flyway(true, PRODUCTION, DEV).migrate();
        as01RecordedIt();

        assertThatThrownBy(() -> flyway(false, PRODUCTION, DEV).migrate())
                .as("without the callback Flyway refuses 0.1's history")
                .isInstanceOf(FlywayException.class);
        flyway(true, PRODUCTION, DEV).migrate();

        MigrationHistory.MOVED_DEV_TABLES.forEach(
                (version, checksums) -> assertThat(recordedChecksum(version)).isEqualTo(checksums[1]));
    }

    @Test
    void aHistoryTableConfiguredUnderAnotherNameIsTheOneBroughtUpToDate() throws SQLException {
        String table = "vaultgate_migrations";
        flyway(table, true, PRODUCTION, DEV).migrate();
        as01RecordedIt(table);

        flyway(table, true, PRODUCTION, DEV).migrate();

        MigrationHistory.MOVED_DEV_TABLES.forEach((version, checksums) ->
                assertThat(recordedChecksum(table, version)).isEqualTo(checksums[1]));
        assertThat(tableExists(HISTORY)).isFalse();
    }

    @Test
    void anyOtherMismatchStillStopsTheStart() throws SQLException {
        flyway(true, PRODUCTION).migrate();
        execute("UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '3'");

        assertThatThrownBy(() -> flyway(true, PRODUCTION).migrate()).isInstanceOf(FlywayException.class);
    }

    private void as01RecordedIt() throws SQLException {
        as01RecordedIt(HISTORY);
    }

    private void as01RecordedIt(String table) throws SQLException {
        for (var moved : MigrationHistory.MOVED_DEV_TABLES.entrySet()) {
            execute("UPDATE " + table + " SET checksum = " + moved.getValue()[0] + " WHERE version = '" + moved.getKey()
                    + "'");
        }
    }

    private int recordedChecksum(String version) {
        return recordedChecksum(HISTORY, version);
    }

    private int recordedChecksum(String table, String version) {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT checksum FROM " + table + " WHERE version = '" + version + "'")) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean tableExists(String table) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet tables = connection.getMetaData().getTables(null, null, table, null)) {
            return tables.next();
        }
    }

    private boolean column(String table, String column) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet columns = connection.getMetaData().getColumns(null, null, table, column)) {
            return columns.next();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
