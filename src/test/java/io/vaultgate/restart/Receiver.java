package io.vaultgate.restart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A deploy system's restart hook for tests: verifies every delivery with the Standard Webhooks
 * reference library, records the events it accepted (deduplicating on webhook-id as a receiver
 * should), and answers whatever status the test's behaviour chooses.
 */
public final class Receiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final String address;
    private final int port;
    private volatile Webhook verifier;
    private volatile Function<String, Integer> behaviour = eventId -> 204;
    private final Map<String, JsonNode> accepted = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile CountDownLatch held = new CountDownLatch(0);
    private volatile Duration holdAtMost = Duration.ZERO;
    private volatile boolean closeEachConnection;
    private volatile String retryAfter;

    public Receiver() {
        this("127.0.0.1", 0);
    }

    /** @param address a loopback address to listen on; @param port 0 for any free one */
    Receiver(String address, int port) {
        this.address = address;
        start(port);
        this.port = server.getAddress().getPort();
    }

    /** Sends this {@code Retry-After} with every answer that is not a success. */
    void askToRetryAfter(String value) {
        retryAfter = value;
    }

    /** Answers {@code Connection: close}: every delivery then opens (and resolves) a connection of its own. */
    void closeEachConnection() {
        closeEachConnection = true;
    }

    public String url() {
        return "http://" + address + ":" + port + "/restart";
    }

    int port() {
        return port;
    }

    public void trust(String signingSecret) {
        verifier = new Webhook(signingSecret);
    }

    /** @param statusFor event id → the status to answer this time */
    void behave(Function<String, Integer> statusFor) {
        behaviour = statusFor;
    }

    /** Fails the first delivery of every event and accepts the retry: half of all requests fail. */
    void failFirstAttemptOfEachEvent() {
        behave(eventId -> seen.add(eventId) ? 500 : 204);
    }

    /** Fails every other request, whatever it carries: a receiver that drops half its traffic. */
    public void failEveryOtherRequest() {
        AtomicInteger counter = new AtomicInteger();
        behave(eventId -> counter.incrementAndGet() % 2 == 1 ? 500 : 204);
    }

    /** Holds every request until {@link #release} (or at most {@code atMost}): a receiver that is slow to answer. */
    void holdUntilReleased(Duration atMost) {
        holdAtMost = atMost;
        held = new CountDownLatch(1);
    }

    void release() {
        held.countDown();
    }

    int inFlight() {
        return inFlight.get();
    }

    /** The most requests this receiver was answering at one time. */
    int mostInFlight() {
        return mostInFlight.get();
    }

    void stop() {
        server.stop(0);
    }

    void restart() {
        start(port);
    }

    public Map<String, JsonNode> accepted() {
        return accepted;
    }

    public List<String> requests() {
        return new ArrayList<>(requests);
    }

    public int badSignatures() {
        return badSignatures.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void start(int listenPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(address, listenPort), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/restart", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String eventId = exchange.getRequestHeaders().getFirst("webhook-id");
        requests.add(eventId);
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            held.await(holdAtMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
        int status;
        try {
            verifier.verify(body, exchange.getRequestHeaders());
            status = behaviour.apply(eventId);
            if (status >= 200 && status < 300) {
                accepted.putIfAbsent(eventId, JSON.readTree(body));
            }
        } catch (Exception invalid) {
            badSignatures.incrementAndGet();
            status = 400;
        }
        if (closeEachConnection) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        if (retryAfter != null && (status < 200 || status >= 300)) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
