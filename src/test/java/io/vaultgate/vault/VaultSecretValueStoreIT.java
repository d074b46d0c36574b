package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vaultgate.testing.RealParts;
import io.vaultgate.testing.RealStack;
import io.vaultgate.values.CasMismatchException;
import io.vaultgate.values.EntryFields;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.SecretValueStoreContract;
import io.vaultgate.values.StoreHealth;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.ValueStoreUnavailableException;
import io.vaultgate.values.VersionedEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract on real Vault (OpenBao or Vault, see {@link RealStack}), with the gateway's own
 * token — only the {@code vaultgate-gateway} policy — so passing proves that policy suffices.
 * Built without a Micronaut context: only the adapter is under test.
 */
@RealParts
class VaultSecretValueStoreIT extends SecretValueStoreContract {

    private static final int VAULT_DEFAULT_MAX_VERSIONS = 10;

    final RealStack stack = RealStack.forClass(getClass());

    private VaultCalls calls;
    private VaultSecretValueStore store;

    @BeforeEach
    void buildStore() {
        VaultProperties vault = properties(stack.vaultAddress(), stack.gatewayToken());
        calls = new VaultCalls(
                VaultClientFactory.create(vault, VaultPoolProperties.defaults()), VaultResilienceProperties.defaults());
        store = new VaultSecretValueStore(calls, vault);
    }

    @Override
    protected SecretValueStore store() {
        return store;
    }

    /**
     * The mount's {@code max_versions} (vault-config/ sets it; read with the root token, the gateway
     * may not read the mount config). Not a per-entry {@code max_versions}: OpenBao lets the
     * mount's setting win over a smaller per-entry one, so only the mount's is portable.
     */
    @Override
    protected int versionsKept(EntryPath path) {
        try {
            HttpResponse<String> answer = rootGet(stack.kvMount() + "/config");
            assertThat(answer.statusCode()).isEqualTo(200);
            Object max = ((Map<?, ?>) new ObjectMapper()
                            .readValue(answer.body(), Map.class)
                            .get("data"))
                    .get("max_versions");
            int configured = ((Number) max).intValue();
            return configured == 0 ? VAULT_DEFAULT_MAX_VERSIONS : configured;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void entriesLandUnderTheMountAndPathPrefixWithTheChangeSetInside() throws IOException {
        EntryPath path = newEntryPath();
        store.write(path, values("A", "1"), "cs-where", 0);

        HttpResponse<String> answer = rootGet(stack.kvMount() + "/data/" + stack.pathPrefix() + "/" + path.path());

        assertThat(answer.statusCode()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((Map<?, ?>)
                        new ObjectMapper().readValue(answer.body(), Map.class).get("data"))
                .get("data");
        assertThat(data).containsEntry("A", "1").containsEntry(EntryFields.CHANGE_SET, "cs-where");
    }

    @Test
    void anEntryWrittenInStepsTellsTheVersionItsLastStepLandsAsBeforeTheFirstIsSent() {
        EntryPath path = newEntryPath();
        Map<String, SecretValue> many = new LinkedHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            many.put("KEY_" + i, new SecretValue("value-" + i));
        }
        List<Integer> told = new ArrayList<>();
        List<Integer> currentWhenTold = new ArrayList<>();

        int version = store.write(path, many, "cs-1", 0, landsAs -> {
            told.add(landsAs);
            currentWhenTold.add(store.currentVersion(path));
        });

        assertThat(version).as("several steps").isGreaterThan(1);
        assertThat(told).containsExactly(version);
        assertThat(currentWhenTold).containsExactly(0);
        assertThat(store.read(path).orElseThrow().values()).hasSize(1_000);

        // Onto an existing entry the store first reads it: only the keys that differ are sent.
        for (int i = 0; i < 600; i++) {
            many.put("KEY_" + i, new SecretValue("changed-" + i));
        }
        told.clear();
        currentWhenTold.clear();
        int next = store.write(path, many, "cs-2", version, landsAs -> {
            told.add(landsAs);
            currentWhenTold.add(store.currentVersion(path));
        });

        assertThat(next).as("600 keys in two steps").isEqualTo(version + 2);
        assertThat(told).containsExactly(next);
        assertThat(currentWhenTold).containsExactly(version);
    }

    @Test
    void aSoftDeletedVersionIsNoLongerReadable() {
        EntryPath path = newEntryPath();
        store.write(path, values("A", "1"), "cs-1", 0);
        store.write(path, values("A", "2"), "cs-2", 1);
        // Soft delete is not a gateway action; an operator may still do it in Vault.
        rootCall(
                "POST",
                stack.kvMount() + "/delete/" + stack.pathPrefix() + "/" + path.path(),
                Map.of("versions", new int[] {1}));

        assertThat(store.read(path, 1)).isEmpty();
        assertThat(store.read(path, 2)).isPresent();
        assertThat(store.currentVersion(path)).isEqualTo(2);
    }

    @Test
    void aDestroyedLatestVersionReadsAsNoKeysAtItsVersionSoWritersCanContinue() {
        EntryPath path = newEntryPath();
        store.write(path, values("A", "1"), "cs-1", 0);
        rootCall(
                "PUT",
                stack.kvMount() + "/destroy/" + stack.pathPrefix() + "/" + path.path(),
                Map.of("versions", new int[] {1}));

        VersionedEntry latest = store.read(path).orElseThrow();
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.values()).isEmpty();
        assertThat(latest.changeSetId()).isNull();
        assertThat(store.read(path, 1)).isEmpty();
        assertThat(store.currentVersion(path)).isEqualTo(1);
        assertThatThrownBy(() -> store.write(path, values("A", "2"), "cs-2", 0))
                .isInstanceOf(CasMismatchException.class);
        assertThat(store.write(path, values("A", "2"), "cs-2", latest.version()))
                .isEqualTo(2);
    }

    @Test
    void aSoftDeletedLatestVersionReadsAsNoKeysAtItsVersion() {
        EntryPath path = newEntryPath();
        store.write(path, values("A", "1"), "cs-1", 0);
        store.write(path, values("A", "2"), "cs-2", 1);
        // What `vault kv delete` does: soft-deletes the latest version.
        rootCall("DELETE", stack.kvMount() + "/data/" + stack.pathPrefix() + "/" + path.path(), null);

        VersionedEntry latest = store.read(path).orElseThrow();
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.values()).isEmpty();
        assertThat(plain(store.read(path, 1).orElseThrow())).containsOnly(Map.entry("A", "1"));
        assertThat(store.write(path, values("A", "3"), "cs-3", 2)).isEqualTo(3);
    }

    @Test
    void aTokenWithoutTheGatewayPolicyIsDeniedWithoutLeakingAnything() {
        String nobody = stack.createToken();
        VaultProperties vault = properties(stack.vaultAddress(), nobody);
        VaultSecretValueStore denied = new VaultSecretValueStore(
                new VaultCalls(
                        VaultClientFactory.create(vault, VaultPoolProperties.defaults()),
                        VaultResilienceProperties.defaults()),
                vault);
        EntryPath path = newEntryPath();

        Throwable refused = catchThrowable(() -> denied.write(path, values("PASSWORD", CANARY), "cs-1", 0));

        assertThat(refused)
                .isExactlyInstanceOf(ValueStoreException.class)
                .hasMessageStartingWith("permission denied on ")
                .hasMessageContaining(path.path());
        assertNothingSecretIn(refused, nobody);
        assertThatThrownBy(() -> denied.read(path)).hasMessageStartingWith("permission denied on ");
    }

    @Test
    void absentEntriesConflictsAndDenialsDoNotOpenTheBreaker() {
        EntryPath path = newEntryPath();
        store.write(path, values("A", "1"), "cs-1", 0);
        for (int i = 0; i < 30; i++) {
            assertThat(store.read(newEntryPath())).isEmpty();
            assertThatThrownBy(() -> store.write(path, values("A", "x"), "cs", 0))
                    .isInstanceOf(CasMismatchException.class);
        }

        assertThat(calls.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(store.read(path)).isPresent();
    }

    @Test
    void anUnreachableVaultIsUnavailableAndOpensTheBreaker() throws IOException {
        VaultProperties vault = properties("http://127.0.0.1:" + closedPort(), "not-a-real-token-" + CANARY);
        VaultResilienceProperties quick =
                new VaultResilienceProperties(50f, 4, 4, Duration.ofMinutes(1), 1, 2, Duration.ofMillis(10));
        VaultCalls unreachableCalls =
                new VaultCalls(VaultClientFactory.create(vault, VaultPoolProperties.defaults()), quick);
        VaultSecretValueStore unreachable = new VaultSecretValueStore(unreachableCalls, vault);
        EntryPath path = newEntryPath();

        Throwable failure = catchThrowable(() -> unreachable.read(path));
        assertThat(failure).isInstanceOf(ValueStoreUnavailableException.class).hasMessageContaining("unreachable");
        assertNothingSecretIn(failure, vault.token());
        for (int i = 0; i < 4; i++) {
            catchThrowable(() -> unreachable.write(path, values("A", CANARY), "cs", 0));
        }

        assertThat(unreachableCalls.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> unreachable.currentVersion(path))
                .isInstanceOf(ValueStoreUnavailableException.class)
                .hasMessageContaining("circuit breaker is open");
        StoreHealth health = unreachable.health();
        assertThat(health.up()).isFalse();
        assertThat(health.detail()).isEqualTo("vault is unreachable");
    }

    @Test
    void healthSaysUpAndNamesTheBreakerState() {
        StoreHealth health = store.health();

        assertThat(health.up()).isTrue();
        assertThat(health.detail()).contains("unsealed").contains("circuit breaker closed");
    }

    private static void assertNothingSecretIn(Throwable failure, String token) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(CANARY).doesNotContain(token);
        }
    }

    private VaultProperties properties(String address, String token) {
        return new VaultProperties(
                URI.create(address),
                token,
                stack.kvMount(),
                stack.pathPrefix(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                400,
                null);
    }

    private int rootCall(String method, String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + path))
                    .header("X-Vault-Token", stack.rootToken())
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(
                                            new ObjectMapper().writeValueAsBytes(body)))
                    .build();
            return HttpClient.newHttpClient()
                    .send(request, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> rootGet(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.vaultAddress() + "/v1/" + path))
                .header("X-Vault-Token", stack.rootToken())
                .GET()
                .build();
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A local port nothing listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
