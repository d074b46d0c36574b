package io.vaultgate.cli;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.GatewayTest;
import io.vaultgate.TcpProxy;
import io.vaultgate.identity.JwtIssuer;
import io.vaultgate.testing.RealParts;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vaultgate rollout status} and {@code vaultgate run}'s encrypted fallback and {@code --watch},
 * as their own processes against a real gateway on real OpenBao and MariaDB, reached through a
 * TCP relay that the tests cut to make the gateway unreachable.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliRolloutIT extends GatewayTest {

    private static final String PROJECT = "/v1/projects/fleet";
    private static final String DEPLOYMENT = PROJECT + "/environments/production/services/";

    @TempDir
    Path work;

    private ApiClient api;
    private TcpProxy relay;

    @Override
    protected Map<String, String> extraProperties() {
        return Map.of("vaultgate.rollout.flush-interval", "1s");
    }

    @BeforeAll
    void createCatalog() {
        api = admin();
        ok(api.put(PROJECT, null));
        ok(api.put(PROJECT + "/environments/production", json("type", "production")));
        for (String service : List.of("api", "worker", "web", "cron", "batch", "jobs")) {
            ok(api.put(PROJECT + "/services/" + service, null));
            ok(api.put(DEPLOYMENT + service, null));
            ok(api.put(DEPLOYMENT + service + "/secrets/API_KEY", json("value", "one-" + service)));
        }
        relay = new TcpProxy(server.getHost(), server.getPort());
    }

    @AfterAll
    void closeRelay() {
        relay.close();
    }

    @Test
    @Timeout(180)
    void rolloutStatusExitsEightWhileAnInstanceIsStaleAndZeroOnceItRebooted() throws Exception {
        String token = mint("api");
        assertThat(run(token, List.of("--instance", "api-1"), "true").exit()).isZero();
        String deployer = api.post(PROJECT + "/operator-tokens", json("role", "deployer", "ttlSeconds", 600))
                .json()
                .path("token")
                .asText();
        Cli operator = Cli.of(address(), deployer);
        // The sighting reaches the ledger at the next flush; until then api has no live instance.
        waitFor(() -> operator.run("rollout", "status", "-p", "fleet", "-e", "production")
                .out()
                .contains("api-1"));

        ok(api.put(DEPLOYMENT + "api/secrets/API_KEY", json("value", "two-api")));
        Cli.Result stale = operator.run("rollout", "status", "-p", "fleet", "--wait", "3s", "--interval", "1s");
        assertThat(stale.exit()).as(stale.toString()).isEqualTo(8);
        assertThat(stale.out()).contains("api-1", "stale");
        assertThat(stale.err()).contains("older revision");

        Cli.Result json = operator.run("rollout", "status", "-p", "fleet", "-o", "json");
        assertThat(json.exit()).isEqualTo(8);
        assertThat(json.json().path("stale").asBoolean()).isTrue();

        // The pipeline waits while the instance reboots with the new revision.
        Thread rebooting = new Thread(() -> {
            try {
                Thread.sleep(2000);
                run(mint("api"), List.of("--instance", "api-1"), "true");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        rebooting.start();
        Cli.Result waited = operator.run("rollout", "status", "-p", "fleet", "--wait", "90s", "--interval", "1s");
        rebooting.join();
        assertThat(waited.exit()).as(waited.toString()).isZero();
        assertThat(waited.out()).contains("api-1", "current");

        assertThat(operator.run("rollout", "status", "-p", "fleet", "--wait", "soon")
                        .exit())
                .isEqualTo(2);
        assertThat(Cli.of(address(), token)
                        .run("rollout", "status", "-p", "fleet")
                        .exit())
                .as("a workload token may not read the rollout")
                .isEqualTo(5);
    }

    @Test
    @Timeout(180)
    void runBootsFromItsEncryptedFallbackWhileTheGatewayIsUnreachableAndReportsItLater() throws Exception {
        String token = mint("worker");
        Path file = work.resolve("worker.fallback");

        Cli.Result first = run(token, List.of("--fallback", file.toString()), "echo \"KEY=$API_KEY\"");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out()).contains("KEY=one-worker");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                .startsWith("VGFB")
                .doesNotContain("one-worker")
                .doesNotContain("API_KEY");
        String revision = revisionOf("worker");

        relay.refuseConnections();
        Started running;
        try {
            running = start(
                    token,
                    List.of("--fallback", file.toString(), "--instance", "worker-offline", "--watch-interval", "1s"),
                    "echo \"KEY=$API_KEY\"; sleep 8");
            waitFor(() -> running.err().contains("booted from a fallback"));
        } finally {
            relay.listenAgain();
        }
        assertThat(running.err()).contains("booted from a fallback of revision " + revision + " taken at ");
        waitFor(() -> running.out().contains("KEY=one-worker"));
        waitFor(() -> {
            JsonNode instances = deployment("worker").path("instances");
            for (JsonNode i : instances) {
                if (i.path("instance").asText().equals("worker-offline")
                        && i.path("fromFallback").asBoolean()) {
                    return true;
                }
            }
            return false;
        });
        assertThat(running.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(running.process().exitValue()).isZero();
        assertThat(running.err() + running.out()).doesNotContain(token);
    }

    @Test
    @Timeout(180)
    void aContainerBootingWithAJwtKeepsAFallbackUnderItsOwnPassphraseAndBootsFromItWhileTheGatewayIsDown()
            throws Exception {
        try (JwtIssuer issuer = new JwtIssuer()) {
            String subject = "system:serviceaccount:fleet:jobs";
            ok(api.put(
                    DEPLOYMENT + "jobs/identity",
                    json(
                            "issuer",
                            issuer.issuer,
                            "jwks",
                            new JWKSet(issuer.rsa.toPublicJWK()).toJSONObject(),
                            "audience",
                            "vaultgate",
                            "claims",
                            Map.of("sub", subject))));
            Path jwtFile = work.resolve("service-account-token");
            String jwt = issuer.signRs256(
                    issuer.claims("vaultgate", Map.of("sub", subject)).build());
            Files.writeString(jwtFile, jwt + "\n");
            Path file = work.resolve("jobs.fallback");
            List<String> options = List.of("--jwt-file", jwtFile.toString(), "--fallback", file.toString());

            Cli.Result withoutPassphrase = run(null, options, "echo ran");
            assertThat(withoutPassphrase.exit())
                    .as(withoutPassphrase.toString())
                    .isEqualTo(2);
            assertThat(withoutPassphrase.err()).contains("needs --passphrase");
            assertThat(withoutPassphrase.out()).doesNotContain("ran");

            Map<String, String> passphrase = Map.of("VAULTGATE_FALLBACK_PASSPHRASE", "jobs fallback passphrase");
            Cli.Result online = run(null, passphrase, options, "echo \"KEY=$API_KEY\"");
            assertThat(online.exit()).as(online.toString()).isZero();
            assertThat(online.out()).contains("KEY=one-jobs");
            assertThat(file).exists();

            relay.refuseConnections();
            Cli.Result offline;
            try {
                offline = run(null, passphrase, options, "echo \"KEY=$API_KEY\"");
            } finally {
                relay.listenAgain();
            }
            assertThat(offline.exit()).as(offline.toString()).isZero();
            assertThat(offline.out()).contains("KEY=one-jobs");
            assertThat(offline.err()).contains("booted from a fallback of revision " + revisionOf("jobs"));
            assertThat(online.out() + online.err() + offline.out() + offline.err())
                    .doesNotContain(jwt);

            // The identity unbound: the JWT is refused, and the copy goes with it.
            assertThat(api.delete(DEPLOYMENT + "jobs/identity").status()).isIn(200, 204);
            Cli.Result refused = run(null, passphrase, options, "echo ran");
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(5);
            assertThat(refused.out()).doesNotContain("ran");
            assertThat(refused.err()).contains("refused the JWT; the fallback file is deleted");
            assertThat(file).doesNotExist();
        }
    }

    @Test
    @Timeout(180)
    void aRevokedTokenNeverBootsFromTheFallbackAndTheFileIsDeleted() throws Exception {
        ApiClient.Answer minted = api.post(DEPLOYMENT + "web/tokens", json("ttlSeconds", 600));
        String token = minted.json().path("token").asText();
        Path file = work.resolve("web.fallback");
        assertThat(run(token, List.of("--fallback", file.toString()), "true").exit())
                .isZero();
        assertThat(file).exists();

        ok(api.delete("/v1/tokens/" + minted.json().path("accessor").asText()));
        Cli.Result refused = run(token, List.of("--fallback", file.toString()), "echo ran");

        assertThat(refused.exit()).as(refused.toString()).isEqualTo(5);
        assertThat(refused.out()).doesNotContain("ran");
        assertThat(refused.err()).contains("fallback file is deleted");
        assertThat(file).doesNotExist();
    }

    @Test
    @Timeout(180)
    void aWrongPassphraseAChangedFileAndAnOldFileAreRefusedClearly() throws Exception {
        String token = mint("cron");
        Path file = work.resolve("cron.fallback");
        Map<String, String> right = Map.of("VAULTGATE_FALLBACK_PASSPHRASE", "correct horse battery staple");
        Cli.Result written = run(token, right, List.of("--fallback", file.toString()), "true");
        assertThat(written.exit()).as(written.toString()).isZero();

        Cli.Result fromFile =
                run(token, right, List.of("--fallback", file.toString(), "--fallback-only"), "echo \"KEY=$API_KEY\"");
        assertThat(fromFile.exit()).as(fromFile.toString()).isZero();
        assertThat(fromFile.out()).contains("KEY=one-cron");
        assertThat(fromFile.out()).doesNotContain("correct horse").doesNotContain("VAULTGATE_FALLBACK_PASSPHRASE");

        Cli.Result wrong = run(
                token,
                Map.of("VAULTGATE_FALLBACK_PASSPHRASE", "wrong"),
                List.of("--fallback", file.toString(), "--fallback-only"),
                "echo ran");
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(6);
        assertThat(wrong.err()).contains("wrong passphrase");
        assertThat(wrong.out()).doesNotContain("ran");

        Path changed = work.resolve("cron-changed.fallback");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 0x01;
        Files.write(changed, bytes);
        Cli.Result tampered =
                run(token, right, List.of("--fallback", changed.toString(), "--fallback-only"), "echo ran");
        assertThat(tampered.exit()).as(tampered.toString()).isEqualTo(6);
        assertThat(tampered.err()).contains("changed or damaged");

        Thread.sleep(2100);
        Cli.Result old = run(
                token,
                right,
                List.of("--fallback", file.toString(), "--fallback-only", "--fallback-max-age", "1s"),
                "echo ran");
        assertThat(old.exit()).as(old.toString()).isEqualTo(6);
        assertThat(old.err()).contains("longer ago than --fallback-max-age");
        assertThat(old.out()).doesNotContain("ran");
    }

    @Test
    @Timeout(180)
    void watchRestartsTheCommandWhenTheRevisionChanges() throws Exception {
        String token = mint("batch");
        Started watching = start(
                token,
                List.of("--watch", "--watch-interval", "1s", "--grace", "5s", "--instance", "batch-1"),
                "echo \"boot $API_KEY\"; trap 'echo stopped; exit 0' TERM; while true; do sleep 0.2; done");
        try {
            waitFor(() -> watching.out().contains("boot one-batch"));
            ok(api.put(DEPLOYMENT + "batch/secrets/API_KEY", json("value", "two-batch")));
            waitFor(() -> watching.out().contains("boot two-batch"));
            assertThat(watching.out()).contains("stopped");
            assertThat(watching.err()).contains("restarting the command");
        } finally {
            watching.process().destroy();
        }
        assertThat(watching.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(watching.err() + watching.out()).doesNotContain(token);
    }

    /** A run of the CLI through the relay, as its own process, to its end. */
    private Cli.Result run(String token, List<String> options, String script) throws Exception {
        return run(token, Map.of(), options, script);
    }

    private Cli.Result run(String token, Map<String, String> extra, List<String> options, String script)
            throws Exception {
        Map<String, String> env = new HashMap<>(Cli.of(relayAddress(), token).env());
        env.putAll(extra);
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(options);
        args.addAll(List.of("--", "sh", "-c", script));
        return CliProcess.run(env, args);
    }

    /** A CLI process left running, its output read as it comes. */
    private record Started(Process process, Path outFile, Path errFile) {
        String out() {
            return read(outFile);
        }

        String err() {
            return read(errFile);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            }
        }
    }

    private Started start(String token, List<String> options, String script) throws Exception {
        Path folder = Files.createTempDirectory(work, "run");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                VaultgateCli.class.getName(),
                "run"));
        command.addAll(options);
        command.addAll(List.of("--", "sh", "-c", script));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(folder.resolve("out").toFile())
                .redirectError(folder.resolve("err").toFile());
        builder.environment().clear();
        builder.environment().putAll(Cli.of(relayAddress(), token).env());
        return new Started(builder.start(), folder.resolve("out"), folder.resolve("err"));
    }

    private String revisionOf(String service) {
        return deployment(service).path("revision").asText();
    }

    private JsonNode deployment(String service) {
        for (JsonNode d : api.get(PROJECT + "/rollout").json().path("deployments")) {
            if (d.path("service").asText().equals(service)) {
                return d;
            }
        }
        throw new AssertionError("no deployment " + service);
    }

    private String mint(String service) {
        ApiClient.Answer minted = api.post(DEPLOYMENT + service + "/tokens", json("ttlSeconds", 600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private String address() {
        return server.getURL().toString();
    }

    private String relayAddress() {
        return "http://127.0.0.1:" + relay.port();
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s");
            }
            Thread.sleep(250);
        }
    }

    private static void ok(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 204);
    }
}
