package io.vaultgate.secret;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.dotenv.HostileFiles;
import io.vaultgate.testing.RealParts;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * An import is bounded while it is read: a small file that expands to gigabytes, or a body of
 * more keys than an import may hold, is refused at the line or key that crosses the limit,
 * writes nothing, and leaves the gateway serving. Real gateway, OpenBao and MariaDB.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportBoundsIT extends GatewayTest {

    /** {@code A0=xxxxxxxxxx}, then each line twice the one before: 648 bytes that expand to 10 * 2^39 bytes. */
    private static final String DOUBLING_FILE = HostileFiles.doublingValues();

    private static final Map<String, String> AS_DOTENV = Map.of("Content-Type", "text/plain; charset=utf-8");
    private static final Map<String, String> AS_JSON = Map.of("Content-Type", "application/json");

    private LogCapture logs;
    private ApiClient api;

    @BeforeAll
    void createCatalog() {
        logs = new LogCapture();
        api = admin();
        assertThat(api.put("/v1/projects/p", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/p/environments/staging", json("type", "staging"))
                        .status())
                .isEqualTo(201);
    }

    @AfterAll
    void stopCapturing() {
        logs.close();
    }

    @Test
    @Timeout(120) // a hang guard: unbounded, the first request alone took 14 s and ended in an OutOfMemoryError
    void aFileThatDoublesEachValueIsRefusedAtTheLineThatCrossesTheValueLimit() throws Exception {
        assertThat(DOUBLING_FILE.getBytes(StandardCharsets.UTF_8)).hasSize(648);
        long changeSetsBefore = count("SELECT COUNT(*) FROM change_set");
        long auditRowsBefore = count("SELECT COUNT(*) FROM audit_log");

        Answer dryRun = api.send("POST", "/v1/projects/p/import?dryRun=true", DOUBLING_FILE, AS_DOTENV);
        Answer real = api.send("POST", "/v1/projects/p/environments/staging/import", DOUBLING_FILE, AS_DOTENV);

        for (Answer refused : new Answer[] {dryRun, real}) {
            assertProblem(refused, 413, "value-too-large");
            // A13 is the first value over 64 KiB: 10 * 2^13 = 81,920 bytes.
            assertThat(refused.json().path("line").asInt()).isEqualTo(14);
            assertThat(refused.json().path("detail").asText()).contains("Line 14", "A13", "65536");
        }
        assertThat(vaultEntry("p")).isNull();
        assertThat(vaultEntry("p/env/staging")).isNull();
        assertThat(count("SELECT COUNT(*) FROM change_set")).isEqualTo(changeSetsBefore);
        assertThat(count("SELECT COUNT(*) FROM audit_log")).isEqualTo(auditRowsBefore);
        assertThat(api.get("/v1/projects/p/environments/staging/secrets").json().path("secrets"))
                .isEmpty();

        assertThat(api.put("/v1/projects/p/environments/staging/secrets/NEXT", json("value", "served"))
                        .status())
                .isEqualTo(201);
        assertThat(logs.text()).doesNotContain("OutOfMemoryError").doesNotContain("xxxxxxxxxx");
    }

    @Test
    @Timeout(60)
    void aFileWhoseValuesEachFitButWhoseWholeExceedsTheScopeLimitIsRefusedAtItsLine() throws Exception {
        // B holds 60,000 bytes; C1..C17 copy it. The 18th line takes the file past 1 MiB of names and values.
        StringBuilder file = new StringBuilder("B=").append("y".repeat(60_000)).append('\n');
        for (int i = 1; i <= 17; i++) {
            file.append('C').append(i).append("=${B}\n");
        }

        Answer refused = api.send("POST", "/v1/projects/p/environments/staging/import", file.toString(), AS_DOTENV);

        assertProblem(refused, 413, "scope-too-large");
        assertThat(refused.json().path("line").asInt()).isEqualTo(18);
        assertThat(refused.json().path("detail").asText()).contains("Line 18", "C17", "1048576");
        assertThat(refused.body()).doesNotContain("yyyyyyyyyy");
        assertThat(api.get("/v1/projects/p/environments/staging/secrets/C1").status())
                .isEqualTo(404);
    }

    @Test
    @Timeout(60)
    void keysAreCountedAsTheyAreReadInADotenvFileAndInAJsonObject() {
        StringBuilder dotenv = new StringBuilder();
        Map<String, Object> jsonImport = new LinkedHashMap<>();
        for (int i = 1; i <= 5_001; i++) {
            dotenv.append("K").append(i).append("=v\n");
            jsonImport.put("K" + i, "v");
        }

        Answer fromDotenv = api.send("POST", "/v1/projects/p/import", dotenv.toString(), AS_DOTENV);
        Answer fromJson = api.post("/v1/projects/p/import", jsonImport);

        assertProblem(fromDotenv, 413, "too-many-keys");
        assertThat(fromDotenv.json().path("line").asInt()).isEqualTo(5_001);
        assertThat(fromDotenv.json().path("detail").asText()).contains("K5001", "5000");
        assertProblem(fromJson, 413, "too-many-keys");
        assertThat(fromJson.json().path("field").asText()).isEqualTo("K5001");
        assertThat(fromJson.json().path("detail").asText()).contains("K5001", "5000");
        assertThat(api.get("/v1/projects/p/secrets/K1").status()).isEqualTo(404);
    }

    @Test
    @Timeout(60)
    void aJsonImportIsRefusedAtTheKeyThatCrossesTheLimitBeforeTheRestIsRead() {
        StringBuilder body = new StringBuilder("{");
        for (int i = 1; i <= 5_001; i++) {
            body.append("\"K").append(i).append("\":\"v\",");
        }
        // Past the limit the body is not even JSON: read whole before judging, it would answer that.
        body.append("\"K5002\":");

        Answer refused = api.send("POST", "/v1/projects/p/import", body.toString(), AS_JSON);

        assertProblem(refused, 413, "too-many-keys");
        assertThat(refused.json().path("field").asText()).isEqualTo("K5001");
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.code()).as(answer.toString()).isEqualTo(code);
    }
}
