package io.vaultgate.restart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;

/**
 * The one shape of a restart event, for webhook bodies and the pull feed alike. Names, ids and
 * revisions only.
 */
final class EventPayloads {

    static final String TYPE = "deployment.restart";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private EventPayloads() {}

    /**
     * @param cursor the feed position of the event (its row id)
     */
    record EventData(
            String id,
            long cursor,
            String project,
            String environment,
            String service,
            String reason,
            List<String> changeSets,
            List<String> keys,
            String configRevision,
            Instant createdAt,
            List<String> actors) {}

    /** A Standard Webhooks message: type, timestamp, data. */
    record Message(String type, Instant timestamp, EventData data) {}

    static Message message(RestartEvent event, String project) {
        return new Message(
                TYPE,
                event.createdAt(),
                new EventData(
                        event.eventId(),
                        event.id(),
                        project,
                        event.environment(),
                        event.service(),
                        event.reason(),
                        event.changeSets(),
                        event.keys(),
                        event.configRevision(),
                        event.createdAt(),
                        List.of(event.actor().split(","))));
    }

    static String json(Object payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an event", e);
        }
    }
}
