package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.exceptions.NoConnectionException;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.vaultgate.LogCapture;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import org.junit.jupiter.api.Test;

class MetadataExceptionHandlersTest {

    private static DataAccessException failing(SQLException cause) {
        return new DataAccessException("Error executing SQL", cause);
    }

    @Test
    void aLostConnectionIsAnOutageToRetry() {
        assertThat(MetadataFailure.of(failing(new SQLNonTransientConnectionException("gone", "08S01"))))
                .isEqualTo(MetadataFailure.UNAVAILABLE);
        assertThat(MetadataFailure.of(failing(new SQLException("link failure", "08003"))))
                .isEqualTo(MetadataFailure.UNAVAILABLE);
    }

    @Test
    void aTransactionTheDatabaseRolledBackIsToRetry() {
        assertThat(MetadataFailure.of(failing(new SQLTransactionRollbackException("deadlock", "40001"))))
                .isEqualTo(MetadataFailure.UNAVAILABLE);
    }

    /** MySQL's wording; ReadOnlyDatabaseIT has MariaDB's, from a real server. */
    @Test
    void aPrimaryThatTurnedReadOnlyIsAnOutageToRetryButOtherOptionsAreNot() {
        assertThat(MetadataFailure.of(failing(new SQLException(
                        "The MySQL server is running with the --super-read-only option so it cannot execute this"
                                + " statement",
                        "HY000",
                        1290))))
                .isEqualTo(MetadataFailure.UNAVAILABLE);
        assertThat(MetadataFailure.of(failing(new SQLException("Running in read-only mode", "HY000", 1836))))
                .isEqualTo(MetadataFailure.UNAVAILABLE);
        assertThat(MetadataFailure.of(failing(new SQLException(
                        "The MySQL server is running with the --secure-file-priv option so it cannot execute this"
                                + " statement",
                        "HY000",
                        1290))))
                .isEqualTo(MetadataFailure.FAULT);
    }

    @Test
    void codeThatRanWithoutAConnectionIsAFaultOfTheGatewayNotAnOutage() {
        HttpResponse<Problem> answer = new MetadataExceptionHandlers.Connection()
                .handle(HttpRequest.GET("/v1/projects"), NoConnectionException.notFoundInAdvice());

        assertThat(answer.status().getCode()).isEqualTo(500);
        assertThat(answer.body().code()).isEqualTo("internal-error");
    }

    @Test
    void aConnectionLostUnderTheFrameworkIsAnOutageToRetry() {
        HttpResponse<Problem> answer = new MetadataExceptionHandlers.Connection()
                .handle(
                        HttpRequest.GET("/v1/projects"),
                        new ConnectionException("gone", new SQLNonTransientConnectionException("gone", "08S01")));

        assertThat(answer.status().getCode()).isEqualTo(503);
        assertThat(answer.body().code()).isEqualTo("metadata-unavailable");
    }

    /** DuplicateKeyRaceIT has the race itself, on real MariaDB. */
    @Test
    void aDuplicateKeyIsAConflictAnsweredWithoutTheValuesTheDatabaseQuotes() {
        DataAccessException duplicate = failing(new SQLIntegrityConstraintViolationException(
                "Duplicate entry '7-PAYMENT_KEY' for key 'uq_service_requirement'", "23000", 1062));
        HttpResponse<Problem> answer;
        String logged;
        try (LogCapture logs = new LogCapture()) {
            answer = new MetadataExceptionHandlers.Metadata().handle(HttpRequest.PUT("/v1/x", ""), duplicate);
            logged = logs.text();
        }

        assertThat(answer.status().getCode()).isEqualTo(409);
        assertThat(answer.body().code()).isEqualTo("concurrent-change");
        assertThat(answer.body().detail()).doesNotContain("PAYMENT_KEY");
        assertThat(logged).contains("SQLState 23000, error 1062").doesNotContain("PAYMENT_KEY");
        assertThat(MetadataFailure.of(failing(new SQLException("Unique index or primary key violation", "23505"))))
                .as("H2's duplicate key, in dev mode")
                .isEqualTo(MetadataFailure.CONFLICT);
    }

    @Test
    void aFaultIsLoggedWithItsStackButWithoutTheDatabasesMessage() {
        String logged;
        try (LogCapture logs = new LogCapture()) {
            new MetadataExceptionHandlers.Metadata()
                    .handle(
                            HttpRequest.GET("/v1/x"),
                            failing(new SQLException("syntax error near 's3cr3t' at line 1", "42000", 1064)));
            logged = logs.text();
        }

        assertThat(logged).contains("SQLState 42000, error 1064").doesNotContain("s3cr3t");
    }

    @Test
    void aStatementTheDatabaseRefusedIsNot() {
        assertThat(MetadataFailure.of(failing(new SQLException("injected", "45000"))))
                .isEqualTo(MetadataFailure.FAULT);
        assertThat(MetadataFailure.of(failing(new SQLException("no such table", "42S02"))))
                .isEqualTo(MetadataFailure.FAULT);
    }
}
