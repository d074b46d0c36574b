package io.vaultgate.identity;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.vaultgate.database.StoredTimes;
import io.vaultgate.web.WireNames;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Types;
import java.time.ZoneId;

/**
 * Writes a minted token's row by hand, in the transaction that records the mint. Every mint writes
 * one, and the repository's save (its interceptors, the entity's mapping and converters, two times
 * each formatted by the driver with a new {@code SimpleDateFormat}) cost a mint about a seventh of
 * its request CPU. Reads and the revocation marks stay with {@link IssuedTokenRepository}.
 */
@Singleton
class IssuedTokenRows {

    private static final String INSERT = "INSERT INTO issued_token (accessor, kind, role, project_id, project,"
            + " environment, service, deployment_id, boot_fetches, created_at, expires_at, created_by, token_hash)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcOperations jdbc;

    IssuedTokenRows(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a token just minted: never revoked yet. */
    void insert(IssuedTokenRecord token) {
        jdbc.prepareStatement(INSERT, statement -> {
            Connection connection = statement.getConnection();
            ZoneId zone = StoredTimes.zoneOf(connection);
            statement.setString(1, token.accessor());
            statement.setString(2, WireNames.of(token.kind()));
            statement.setString(3, WireNames.of(token.role()));
            statement.setLong(4, token.projectId());
            statement.setString(5, token.project());
            statement.setString(6, token.environment());
            statement.setString(7, token.service());
            statement.setObject(8, token.deploymentId(), Types.BIGINT);
            statement.setInt(9, token.bootFetches());
            statement.setObject(10, StoredTimes.in(zone, token.createdAt()));
            statement.setObject(11, StoredTimes.in(zone, token.expiresAt()));
            statement.setString(12, token.createdBy());
            statement.setString(13, token.tokenHash());
            return statement.executeUpdate();
        });
    }
}
