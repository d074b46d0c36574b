package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Which deployments a change restarts depends on other scopes of its project; those may change
 * while it is worked out. On real OpenBao and MariaDB: a project-wide change is held between
 * deciding its restarts and committing (the test holds its scope's row), and meanwhile the
 * override that made a deployment immune to it is deleted. The project-wide change must then
 * restart that deployment, or it keeps running the old value with no restart owed to anyone.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImpactRaceIT extends GatewayTest {

    private static final String DEPLOYMENT = "/v1/projects/imp/environments/prod/services/api";

    @Inject
    MeterRegistry meters;

    private ApiClient api;

    @Override
    protected Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("vaultgate.vault.uri", vaultThroughRelay());
        properties.put("vaultgate.reconciler.interval", "1h");
        properties.put("vaultgate.auth.cache-ttl", "10m");
        // Vault's answers are held while the tests look: longer than that, not a timeout.
        properties.put("vaultgate.vault.read-timeout", "60s");
        return properties;
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put("/v1/projects/imp", null));
        ok(api.put("/v1/projects/imp/environments/prod", json("type", "production")));
        ok(api.put("/v1/projects/imp/services/api", null));
        ok(api.put(DEPLOYMENT, null));
        ok(api.put("/v1/projects/imp/secrets/KEY", json("value", "project-1")));
        ok(api.put(DEPLOYMENT + "/secrets/KEY", json("value", "override")));
    }

    @Test
    void aChangeWhoseOverrideIsDeletedWhileItCommitsRestartsTheDeploymentItNowReaches() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(1);
        Answer projectWide;
        try (Connection holder = database()) {
            vaultRelay().holdAnswers();
            Future<Answer> change;
            try {
                change = writers.submit(() -> api.put("/v1/projects/imp/secrets/KEY", json("value", "project-2")));
                await(
                        "the project-wide change took its scope",
                        "SELECT COUNT(*) FROM change_set WHERE status = 'pending'");
                holder.setAutoCommit(false);
                try (Statement statement = holder.createStatement()) {
                    statement
                            .executeQuery("SELECT id FROM scope_entry WHERE entry_path = 'imp' FOR UPDATE")
                            .close();
                }
            } finally {
                vaultRelay().releaseAnswers();
            }
            await(
                    "the project-wide change decided its restarts and waits to commit",
                    "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE '%FROM `scope_entry`%FOR UPDATE%' "
                            + "AND info NOT LIKE '%processlist%'");

            ok(api.delete(DEPLOYMENT + "/secrets/KEY"));
            holder.commit();
            projectWide = change.get(30, TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
        }

        assertThat(restarts(projectWide))
                .as("the deployment now reads the project's value: %s", projectWide)
                .contains("prod/api");
    }

    @Test
    void aWritesRestartsAreWorkedOutWhileTheValueStoreWritesIt() throws Exception {
        double aheadBefore = workedOut("ahead");
        double atCommitBefore = workedOut("at-commit");
        ExecutorService writers = Executors.newFixedThreadPool(1);
        Answer write;
        try {
            vaultRelay()
                    .holdAnswersFrom(
                            "POST /v1/" + stack().kvMount() + "/data/" + stack().pathPrefix() + "/imp/svc/api ");
            Future<Answer> change;
            try {
                change = writers.submit(
                        () -> api.put("/v1/projects/imp/services/api/secrets/AHEAD", json("value", "ahead-1")));
                awaitTrue("the write reached Vault", () -> vaultRelay().answersHeld());
                awaitTrue(
                        "the write's restarts worked out while Vault's answer to it is held",
                        () -> workedOut("ahead") > aheadBefore);
                assertThat(change.isDone())
                        .as("the write still waits for the value store")
                        .isFalse();
            } finally {
                vaultRelay().releaseAnswers();
            }
            write = change.get(30, TimeUnit.SECONDS);
        } finally {
            writers.shutdownNow();
        }

        assertThat(restarts(write)).as("%s", write).containsExactly("prod/api");
        assertThat(workedOut("ahead")).isEqualTo(aheadBefore + 1);
        assertThat(workedOut("at-commit"))
                .as("not worked out again at the commit")
                .isEqualTo(atCommitBefore);
    }

    @Test
    void aDeploymentRegisteredWhileAWriteIsInFlightIsRestartedByIt() throws Exception {
        ok(api.put("/v1/projects/imp/services/late", null));
        double aheadBefore = workedOut("ahead");
        ExecutorService clients = Executors.newFixedThreadPool(2);
        Answer write;
        Future<Answer> registration;
        try {
            vaultRelay().holdAnswersFrom("POST /v1/" + stack().kvMount() + "/data/" + stack().pathPrefix() + "/imp ");
            Future<Answer> change;
            try {
                change = clients.submit(() -> api.put("/v1/projects/imp/secrets/LATE", json("value", "late-1")));
                awaitTrue("the write reached Vault", () -> vaultRelay().answersHeld());
                awaitTrue(
                        "the write's restarts worked out before the deployment is registered",
                        () -> workedOut("ahead") > aheadBefore);
                // Registered while Vault's answer to the write is held: it boots on the values
                // acknowledged now, the old ones, so the write must restart it.
                registration = clients.submit(() -> api.put("/v1/projects/imp/environments/prod/services/late", null));
                await(
                        "the deployment is registered",
                        "SELECT COUNT(*) FROM deployment d JOIN service s ON s.id = d.service_id WHERE s.slug = 'late'");
            } finally {
                vaultRelay().releaseAnswers();
            }
            write = change.get(30, TimeUnit.SECONDS);
            ok(registration.get(30, TimeUnit.SECONDS));
        } finally {
            clients.shutdownNow();
        }

        assertThat(restarts(write))
                .as("the deployment registered while the write was in flight: %s", write)
                .contains("prod/late");
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private double workedOut(String when) {
        Counter counter = meters.find("vaultgate.writes.restarts.worked-out")
                .tag("when", when)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private void await(String what, String countQuery) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (count(countQuery) == 0) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<String> restarts(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isIn(200, 201);
        List<String> restarts = new ArrayList<>();
        answer.json()
                .path("restarts")
                .forEach(r -> restarts.add(
                        r.path("environment").asText() + "/" + r.path("service").asText()));
        return restarts;
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isBetween(200, 204);
    }
}
