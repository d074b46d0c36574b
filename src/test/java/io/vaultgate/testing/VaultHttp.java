package io.vaultgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The few Vault HTTP API calls the test support needs, on the JDK's HTTP client. Deliberately
 * not the application's Vault client: the tests must not depend on the code they test.
 */
public final class VaultHttp {

    /** A Vault answer: status and parsed body ({@code NullNode} when empty). */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Vault's {@code errors} array joined; never holds a token. */
        public String errors() {
            JsonNode errors = body.path("errors");
            return errors.isMissingNode() ? "" : errors.toString();
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String address;
    private final HttpClient client;

    VaultHttp(String address) {
        this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    String address() {
        return address;
    }

    /** Any call: {@code path} is below {@code /v1/}, {@code body} is serialized as JSON when not null. */
    Response call(String method, String path, String token, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        try {
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, publisher);
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text == null || text.isBlank() ? NullNode.getInstance() : JSON.readTree(text);
            return new Response(response.statusCode(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + address + "/v1/" + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling Vault", e);
        }
    }

    /** Like {@link #call} but a non-2xx answer is an error. */
    JsonNode require(String method, String path, String token, Object body) {
        Response response = call(method, path, token, body);
        if (!response.ok()) {
            throw new IllegalStateException(
                    method + " /v1/" + path + " answered " + response.status() + " " + response.errors());
        }
        return response.body();
    }

    /** Waits until {@code sys/health} answers 200 (initialized, unsealed, active). */
    boolean awaitHealthy(Duration timeout, ProcessHandle server) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (server != null && !server.isAlive()) {
                return false;
            }
            try {
                if (call("GET", "sys/health", null, null).status() == 200) {
                    return true;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Creates a token with exactly these policies; {@code orphan} detaches it from the creator. */
    String createToken(
            String creatorToken, List<String> policies, boolean noDefaultPolicy, boolean orphan, String displayName) {
        // An empty list would make Vault copy the creator's policies (root!), so say "default".
        List<String> effective = policies.isEmpty() ? List.of("default") : policies;
        Map<String, Object> body = Map.of(
                "policies", effective,
                "no_default_policy", noDefaultPolicy,
                "ttl", "8h",
                "renewable", true,
                "display_name", displayName);
        JsonNode answer =
                require("POST", orphan ? "auth/token/create-orphan" : "auth/token/create", creatorToken, body);
        return answer.path("auth").path("client_token").asText();
    }

    void writePolicy(String rootToken, String name, String hcl) {
        require("PUT", "sys/policies/acl/" + name, rootToken, Map.of("policy", hcl));
    }
}
