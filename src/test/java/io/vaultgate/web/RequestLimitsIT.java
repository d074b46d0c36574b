package io.vaultgate.web;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.LogCapture;
import io.vaultgate.testing.RealParts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * No request holds more of the gateway than its route needs: bodies are refused by size per
 * route before they are read, and oversized headers and request lines are refused by Netty, all
 * with a 4xx and the gateway serving the next request. Real gateway, OpenBao and MariaDB; the
 * oversized requests go over a plain socket so that the test controls every byte.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestLimitsIT extends GatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IMPORT_BYTES = 4 * 1024 * 1024;
    private static final int SECRET_BYTES = 512 * 1024;
    private static final int OTHER_BYTES = 64 * 1024;

    private LogCapture logs;
    private ApiClient api;

    @BeforeAll
    void createCatalog() {
        logs = new LogCapture();
        api = admin();
        assertThat(api.put("/v1/projects/p", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/p/environments/prod", json("type", "production"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/p/services/api", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/p/environments/prod/services/api", null)
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/p/services/api/requirements", json("keys", List.of("KEPT")))
                        .status())
                .isEqualTo(200);
    }

    @AfterAll
    void stopCapturing() {
        logs.close();
    }

    @Test
    @Timeout(60)
    void aSmallEndpointRefusesABodyLargerThanItsLimitBeforeReadingItAndChangesNothing() throws Exception {
        List<String[]> smallRoutes = List.of(
                new String[] {"PUT", "/v1/projects/p/services/api/requirements"},
                new String[] {"POST", "/v1/projects/p/secrets/KEY/rollback"},
                new String[] {"POST", "/v1/projects/p/environments/prod/services/api/tokens"},
                new String[] {"POST", "/v1/projects/p/operator-tokens"},
                new String[] {"PUT", "/v1/projects/p/environments/staging"},
                new String[] {"POST", "/v1/projects/p/hooks"},
                new String[] {"GET", "/v1/projects/p/secrets"});
        JsonNode requirementsBefore =
                api.get("/v1/projects/p/services/api/requirements").json().path("keys");
        for (String[] route : smallRoutes) {
            // Only the head is sent: the answer must come without the body it announces.
            RawAnswer refused = headOnly(route[0], route[1], OTHER_BYTES + 1);
            assertTooLarge(refused, route[1]);
        }
        assertTooLarge(headOnly("PUT", "/v1/projects/p/secrets/BIG", SECRET_BYTES + 1), "set");

        assertThat(api.get("/v1/projects/p/services/api/requirements").json().path("keys"))
                .isEqualTo(requirementsBefore);
        assertThat(api.get("/v1/projects/p").json().path("environments"))
                .extracting(e -> e.path("environment").asText())
                .containsExactly("prod");
        assertThat(api.get("/v1/projects/p/secrets/BIG").status()).isEqualTo(404);
        assertThat(api.get("/v1/projects/p/hooks").json().path("hooks")).isEmpty();
    }

    @Test
    @Timeout(60)
    void aChunkedBodyIsRefusedOnceItPassesTheLimitOfItsRoute() throws Exception {
        String keys = "{\"keys\":[" + "\"KEY_NUMBER_1\",".repeat(OTHER_BYTES / 15) + "\"LAST\"]}";
        assertThat(keys.length()).isGreaterThan(OTHER_BYTES);

        RawAnswer refused = chunked("PUT", "/v1/projects/p/services/api/requirements", keys);
        RawAnswer fits = chunked("PUT", "/v1/projects/p/services/api/requirements", "{\"keys\":[\"KEPT\",\"ALSO\"]}");

        assertTooLarge(refused, "chunked requirements");
        assertThat(fits.status()).as(fits.toString()).isEqualTo(200);
        assertThat(api.get("/v1/projects/p/services/api/requirements").json().path("keys"))
                .extracting(JsonNode::asText)
                .containsExactly("ALSO", "KEPT");
    }

    @Test
    @Timeout(120)
    void anImportJustUnderItsLimitIsReadAndOneByteMoreIsNot() throws Exception {
        // A .env file is mostly comment here: the limit is on the bytes sent, the scope limit on what they hold.
        String head = "# " + "c".repeat(IMPORT_BYTES - 4096) + "\nUNDER_LIMIT=yes\n";
        String justUnder = head + "#".repeat(IMPORT_BYTES - head.length() - 1) + "\n";
        assertThat(justUnder.getBytes(StandardCharsets.UTF_8)).hasSize(IMPORT_BYTES);

        Answer read = api.send(
                "POST", "/v1/projects/p/environments/prod/import", justUnder, Map.of("Content-Type", "text/plain"));
        RawAnswer oneMore = headOnly("POST", "/v1/projects/p/environments/prod/import", IMPORT_BYTES + 1);

        assertThat(read.status()).as(read.toString()).isEqualTo(201);
        assertThat(read.json().path("created")).extracting(JsonNode::asText).containsExactly("UNDER_LIMIT");
        assertTooLarge(oneMore, "import");
    }

    @Test
    @Timeout(120)
    void aFullScopeSentAsAsciiEscapedJsonFitsTheImportLimit() {
        // 16 values of 32,000 'é' are 1,024,000 bytes of UTF-8; an encoder that escapes everything past
        // ASCII (Python's json.dumps by default) sends each as a six-character escape, three times that on the wire.
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            values.put("WIDE_" + i, "\u00e9".repeat(32_000));
        }
        StringBuilder escaped = new StringBuilder("{");
        values.forEach((key, value) -> escaped.append(escaped.length() > 1 ? "," : "")
                .append('"')
                .append(key)
                .append("\":\"")
                .append("\\u00e9".repeat(value.length()))
                .append('"'));
        String body = escaped.append('}').toString();
        assertThat(body.length()).isBetween(3 * 1_000_000, IMPORT_BYTES);

        Answer imported = api.send("POST", "/v1/projects/p/environments/prod/services/api/import", body, Map.of());

        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(imported.json().path("created")).hasSize(16);
    }

    @Test
    @Timeout(60)
    void anOversizedHeaderOrRequestLineIsRefusedWithA4xxAndTheGatewayKeepsServing() throws Exception {
        try (LogCapture during = new LogCapture()) {
            RawAnswer bigHeader = raw("GET /v1/projects/p/secrets HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + stack().adminToken() + "\r\nX-Padding: " + "p".repeat(64 * 1024) + "\r\n\r\n");
            RawAnswer longUrl = raw("GET /v1/projects/p/secrets?pad=" + "u".repeat(16 * 1024)
                    + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + stack().adminToken() + "\r\n\r\n");

            assertProblem(bigHeader, 431, "headers-too-large");
            assertProblem(longUrl, 414, "request-line-too-long");
            assertThat(api.get("/v1/projects/p/secrets").status()).isEqualTo(200);
            assertThat(during.text()).doesNotContain("Exception").doesNotContain("pppppppp");
        }
    }

    @Test
    void requirementsHoldAtMostAsManyKeysAsAnImport() {
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i <= 5_000; i++) {
            keys.add("K" + i);
        }

        Answer refused = api.put("/v1/projects/p/services/api/requirements", json("keys", keys));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.code()).isEqualTo("too-many-keys");
        assertThat(refused.json().path("detail").asText()).contains("5000");
        assertThat(api.get("/v1/projects/p/services/api/requirements").json().path("keys"))
                .hasSizeLessThan(3);
    }

    private static void assertTooLarge(RawAnswer answer, String what) throws IOException {
        assertThat(answer.status()).as(what + ": " + answer).isEqualTo(413);
        assertProblem(answer, 413, "request-too-large");
    }

    private static void assertProblem(RawAnswer answer, int status, String code) throws IOException {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.head()).as(answer.toString()).containsIgnoringCase("content-type: application/problem+json");
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("code").asText()).as(answer.toString()).isEqualTo(code);
        assertThat(problem.path("status").asInt()).as(answer.toString()).isEqualTo(status);
        assertThat(problem.path("requestId").asText()).as(answer.toString()).isNotBlank();
    }

    /** The request head announcing {@code contentLength} bytes, and none of them. */
    private RawAnswer headOnly(String method, String path, long contentLength) throws IOException {
        return raw(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + stack().adminToken()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n");
    }

    /** {@code body} in chunks of 8 KiB; the server may stop reading once it has answered. */
    private RawAnswer chunked(String method, String path, String body) throws IOException {
        StringBuilder request = new StringBuilder(
                method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + stack().adminToken()
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int from = 0; from < body.length(); from += 8192) {
            String chunk = body.substring(from, Math.min(body.length(), from + 8192));
            request.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        return raw(request.append("0\r\n\r\n").toString());
    }

    /** Sends the bytes on a fresh connection and reads one response (the server may close early). */
    private RawAnswer raw(String request) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException refusedMidway) {
                // The server answered and closed before taking it all; its answer is still readable.
            }
            return RawAnswer.read(socket.getInputStream());
        }
    }

    private record RawAnswer(int status, String head, String body) {

        static RawAnswer read(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int headEnd = -1;
            int contentLength = -1;
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    bytes.write(buffer, 0, n);
                    String text = bytes.toString(StandardCharsets.ISO_8859_1);
                    headEnd = text.indexOf("\r\n\r\n");
                    if (headEnd >= 0) {
                        contentLength = contentLength(text.substring(0, headEnd));
                        if (contentLength >= 0 && bytes.size() >= headEnd + 4 + contentLength) {
                            break;
                        }
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException stopped) {
                // Whatever arrived is the answer.
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (headEnd < 0) {
                return new RawAnswer(-1, text, "");
            }
            String head = text.substring(0, headEnd);
            String body = text.substring(headEnd + 4);
            return new RawAnswer(
                    Integer.parseInt(head.substring(9, 12)),
                    head,
                    contentLength >= 0 ? body.substring(0, Math.min(body.length(), contentLength)) : body);
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    return Integer.parseInt(
                            line.substring("content-length:".length()).trim());
                }
            }
            return -1;
        }

        @Override
        public String toString() {
            return status + " " + head.replace("\r\n", " | ") + " " + body;
        }
    }
}
