package io.vaultgate.restart;

import com.standardwebhooks.exceptions.WebhookSigningException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Posts one signed event to one hook: Standard Webhooks headers ({@code webhook-id} is the
 * event id, stable across retries, so receivers can drop duplicates), redirects never followed.
 * The answer's body is not read beyond its status: it is the receiver's, not ours to log.
 */
@Singleton
class WebhookSender {

    private final HttpClient http;
    private final RestartProperties properties;
    private final Clock clock;

    WebhookSender(RestartProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.requestTimeout())
                .build();
    }

    /** What happened: a status code, or an error in words safe to store; and Retry-After if sent. */
    record Result(Integer statusCode, String error, Optional<Duration> retryAfter, long durationMs) {

        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }

        boolean gone() {
            return statusCode != null && statusCode == 410;
        }
    }

    Result send(URI url, com.standardwebhooks.Webhook signer, String eventId, String body) {
        Instant started = clock.instant();
        long timestamp = started.getEpochSecond();
        try {
            String signature = signer.sign(eventId, timestamp, body);
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(properties.requestTimeout())
                    .header("content-type", "application/json")
                    .header("user-agent", "Vaultgate-Webhooks/1")
                    .header("webhook-id", eventId)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return new Result(response.statusCode(), null,
                    RetrySchedule.parseRetryAfter(response.headers().firstValue("retry-after").orElse(null), clock.instant()),
                    elapsed(started));
        } catch (IOException e) {
            return new Result(null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + shorten(e.getMessage())),
                    Optional.empty(), elapsed(started));
        } catch (WebhookSigningException e) {
            return new Result(null, "signing failed", Optional.empty(), elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, "interrupted", Optional.empty(), elapsed(started));
        }
    }

    private long elapsed(Instant started) {
        return Duration.between(started, clock.instant()).toMillis();
    }

    private static String shorten(String message) {
        return message.length() > 200 ? message.substring(0, 200) : message;
    }
}
