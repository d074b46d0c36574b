package io.vaultgate.web;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Issue "Admission before authentication": the replica's permits ({@code vaultgate.admission.max-requests},
 * 32 by default) must not be spendable by clients that never show a valid token. More than 32 raw
 * sockets send a request's headers with a bogus token, or none, and then a body a byte at a time;
 * while they trickle, an admin and a workload must still be served. The same holds for the one
 * route that reads a body without a token, the JWT exchange ({@code POST /v1/auth/jwt}). Real
 * gateway, OpenBao and MariaDB.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnonymousSlowClientsIT extends GatewayTest {

    private static final int SLOW_CLIENTS = 40;
    private static final String API = "/v1/projects/slow/environments/production/services/api";

    /** A chunked body's header and its first chunk: the rest never comes but a byte at a time. */
    private static final String CHUNKED = "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n";

    /** What each slow client sends each time it sends more: one byte of its body. */
    private String drip;

    private final List<Socket> slow = new ArrayList<>();
    private ApiClient api;

    @BeforeAll
    void createDeployment() {
        api = admin();
        ok(api.put("/v1/projects/slow", null));
        ok(api.put("/v1/projects/slow/environments/production", json("type", "production")));
        ok(api.put("/v1/projects/slow/services/api", null));
        ok(api.put(API, null));
        ok(api.put(API + "/secrets/KEY", json("value", "v")));
    }

    @BeforeEach
    void dripAChunk() {
        drip = "1\r\n \r\n";
    }

    @AfterEach
    void hangUp() throws IOException {
        for (Socket socket : slow) {
            socket.close();
        }
        slow.clear();
    }

    @Test
    @Timeout(120)
    void slowChunkedBodiesWithABogusTokenLeaveTheReplicaServingEveryoneElse() throws Exception {
        holdSlowRequests(i -> "Authorization: Bearer hvs.bogus" + i + "\r\n" + CHUNKED);

        assertServedWhileTheyTrickle();
    }

    @Test
    @Timeout(120)
    void slowChunkedBodiesWithoutATokenLeaveTheReplicaServingEveryoneElse() throws Exception {
        holdSlowRequests(i -> CHUNKED);

        assertServedWhileTheyTrickle();
    }

    @Test
    @Timeout(120)
    void slowChunkedBodiesThatExpectAContinueLeaveTheReplicaServingEveryoneElse() throws Exception {
        holdSlowRequests(i -> "Authorization: Bearer hvs.bogus" + i + "\r\nExpect: 100-continue\r\n" + CHUNKED);

        assertServedWhileTheyTrickle();
    }

    @Test
    @Timeout(120)
    void slowBodiesOfAnnouncedLengthWithABogusTokenLeaveTheReplicaServingEveryoneElse() throws Exception {
        holdSlowRequests(i -> "Authorization: Bearer hvs.bogus" + i + "\r\nContent-Length: 4096\r\n\r\n{");
        drip = " ";

        assertServedWhileTheyTrickle();
    }

    @Test
    @Timeout(120)
    void slowChunkedBodiesToThePathsOpenWithoutATokenLeaveTheReplicaServingEveryoneElse() throws Exception {
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket socket = new Socket("127.0.0.1", server.getPort());
            slow.add(socket);
            socket.getOutputStream()
                    .write(("POST /openapi.yml HTTP/1.1\r\nHost: 127.0.0.1\r\n" + CHUNKED)
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
        Thread.sleep(2_000);

        assertServedWhileTheyTrickle();
    }

    @Test
    @Timeout(120)
    void slowChunkedJwtExchangesLeaveTheReplicaServingEveryoneElse() throws Exception {
        holdSlowExchanges(CHUNKED);

        assertServedWhileTheyTrickle();
    }

    @Test
    @Timeout(120)
    void slowJwtExchangesOfAnnouncedLengthLeaveTheReplicaServingEveryoneElse() throws Exception {
        holdSlowExchanges("Content-Length: 4096\r\n\r\n{");
        drip = " ";

        assertServedWhileTheyTrickle();
    }

    /**
     * Each slow client sends the headers of a JWT exchange (the rest of them, and the start of the
     * body, from {@code rest}), then waits. They arrive slower than the unknown-token budget of
     * their address ({@code vaultgate.auth.unknown-tokens-per-second}, 20), as a patient client's
     * would, so that every one of them is let through to its body.
     */
    private void holdSlowExchanges(String rest) throws Exception {
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket socket = new Socket("127.0.0.1", server.getPort());
            slow.add(socket);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/auth/jwt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + rest)
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(100);
        }
        Thread.sleep(2_000);
    }

    /**
     * Each slow client sends the headers of an import (the rest of them, and the start of the body,
     * from {@code rest}), then waits.
     */
    private void holdSlowRequests(IntFunction<String> rest) throws Exception {
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            Socket socket = new Socket("127.0.0.1", server.getPort());
            slow.add(socket);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/projects/slow/import HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\n" + rest.apply(i))
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        // Let the gateway take every one of them in before the legitimate callers arrive.
        Thread.sleep(2_000);
    }

    private void assertServedWhileTheyTrickle() throws Exception {
        for (int round = 0; round < 3; round++) {
            trickle();
            Answer listing = api.get("/v1/projects");
            assertThat(listing.status()).as(listing.body()).isEqualTo(200);
            Answer boot = api.withToken(mint()).get("/v1/env");
            assertThat(boot.status()).as(boot.body()).isEqualTo(200);
            Thread.sleep(500);
        }
    }

    /** One more byte of body from every slow client still connected: each keeps its request alive. */
    private void trickle() {
        for (Socket socket : slow) {
            try {
                socket.getOutputStream().write(drip.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (IOException answeredAndClosed) {
                // The gateway answered it and hung up: that client holds nothing any more.
            }
        }
    }

    private String mint() {
        Answer minted = api.post(API + "/tokens", json("ttlSeconds", 600));
        assertThat(minted.status()).as(minted.body()).isEqualTo(201);
        return minted.json().path("token").asText();
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
    }
}
