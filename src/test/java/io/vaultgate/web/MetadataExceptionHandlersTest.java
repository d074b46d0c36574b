package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.data.exceptions.DataAccessException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import org.junit.jupiter.api.Test;

class MetadataExceptionHandlersTest {

    private static DataAccessException failing(SQLException cause) {
        return new DataAccessException("Error executing SQL", cause);
    }

    @Test
    void aLostConnectionIsAnOutageToRetry() {
        assertThat(MetadataExceptionHandlers.isTransient(
                        failing(new SQLNonTransientConnectionException("gone", "08S01"))))
                .isTrue();
        assertThat(MetadataExceptionHandlers.isTransient(failing(new SQLException("link failure", "08003"))))
                .isTrue();
    }

    @Test
    void aTransactionTheDatabaseRolledBackIsToRetry() {
        assertThat(MetadataExceptionHandlers.isTransient(
                        failing(new SQLTransactionRollbackException("deadlock", "40001"))))
                .isTrue();
    }

    @Test
    void aStatementTheDatabaseRefusedIsNot() {
        assertThat(MetadataExceptionHandlers.isTransient(failing(new SQLException("injected", "45000"))))
                .isFalse();
        assertThat(MetadataExceptionHandlers.isTransient(failing(new SQLException("no such table", "42S02"))))
                .isFalse();
    }
}
