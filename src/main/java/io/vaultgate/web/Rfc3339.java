package io.vaultgate.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an RFC 3339 date-time (what the contract's {@code format: date-time} promises) as an
 * {@link Instant}. Java's own parsers refuse offsets past ±18:00, which RFC 3339 allows (to
 * ±23:59), so a valid time such as {@code 2026-02-21T13:53:13-19:37} would be refused as badly typed.
 */
public final class Rfc3339 {

    private static final Pattern DATE_TIME = Pattern.compile("(.+?)(?:[Zz]|([+-])(\\d{2}):(\\d{2}))");

    private Rfc3339() {}

    /** The instant the text names, or empty when it is not an RFC 3339 date-time. */
    public static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher parts = DATE_TIME.matcher(text);
        if (!parts.matches()) {
            return Optional.empty();
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(parts.group(1).replace('t', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        long offsetSeconds = 0;
        if (parts.group(2) != null) {
            int hours = Integer.parseInt(parts.group(3));
            int minutes = Integer.parseInt(parts.group(4));
            if (hours > 23 || minutes > 59) {
                return Optional.empty();
            }
            offsetSeconds = (hours * 3600L + minutes * 60L) * (parts.group(2).equals("-") ? -1 : 1);
        }
        return Optional.of(local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds));
    }
}
