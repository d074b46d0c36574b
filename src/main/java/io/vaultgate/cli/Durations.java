package io.vaultgate.cli;

import java.time.Duration;
import java.util.Locale;

/** Durations as options take them: {@code 900}, {@code 90s}, {@code 15m}, {@code 1h}, {@code 1d}. */
final class Durations {

    private Durations() {}

    /** In seconds; a malformed one is a usage error naming {@code option}. */
    static long seconds(String duration, String option) {
        String text = duration.trim().toLowerCase(Locale.ROOT);
        long unit = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3600;
            case 'd' -> 86400;
            default -> 0;
        };
        try {
            return unit == 0 ? Long.parseLong(text) : Long.parseLong(text.substring(0, text.length() - 1)) * unit;
        } catch (NumberFormatException e) {
            throw new CliException(ExitCode.USAGE, option + " is a duration such as 900, 90s, 15m or 1h.");
        }
    }

    /** Like {@link #seconds}, between {@code min} and {@code max} inclusive. */
    static Duration between(String duration, String option, Duration min, Duration max) {
        Duration parsed = Duration.ofSeconds(seconds(duration, option));
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new CliException(
                    ExitCode.USAGE, option + " is between " + min.toSeconds() + "s and " + max.toSeconds() + "s.");
        }
        return parsed;
    }
}
