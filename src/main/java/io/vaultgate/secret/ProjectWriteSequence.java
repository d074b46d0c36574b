package io.vaultgate.secret;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.vaultgate.database.Transactions;
import jakarta.inject.Singleton;
import java.sql.ResultSet;

/**
 * The number of commits a project has had that change what its deployments resolve: secret
 * commits, deployments registered, environments retyped. Which deployments a change restarts
 * depends on keys of other scopes of its project and on its deployments; reading this number
 * before working that out, and advancing it under its row's lock when committing, tells a writer
 * whether any such commit in the project came in between (and they take their turn on that row).
 */
@Singleton
class ProjectWriteSequence {

    private final JdbcOperations jdbc;
    private final Transactions transactions;

    ProjectWriteSequence(JdbcOperations jdbc, Transactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** The project's commits so far (0 before its first). */
    long current(Long projectId) {
        return transactions.inTransaction() ? read(projectId) : transactions.executeRead(status -> read(projectId));
    }

    private long read(Long projectId) {
        return jdbc.prepareStatement("SELECT seq FROM project_write_sequence WHERE project_id = ?", statement -> {
            statement.setLong(1, projectId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0L;
            }
        });
    }

    /** Inside a commit's transaction: locks the project's row until commit and counts this commit; answers the count before it. */
    long advance(Long projectId) {
        jdbc.prepareStatement(
                "INSERT INTO project_write_sequence (project_id, seq) VALUES (?, 1) "
                        + "ON DUPLICATE KEY UPDATE seq = seq + 1",
                statement -> {
                    statement.setLong(1, projectId);
                    return statement.executeUpdate();
                });
        return read(projectId) - 1;
    }
}
