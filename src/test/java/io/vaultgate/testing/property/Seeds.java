package io.vaultgate.testing.property;

import java.util.Collection;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * Property tests as plain JUnit 5: a test takes its cases from a {@code @MethodSource} of
 * {@link #of(int)}, draws its input from {@code new SplittableRandom(seed)} with a generator, and
 * checks it through {@link #check}, so that a failing case names its seed and what its input
 * looked like. Every run draws fresh seeds, shown in each case's name;
 * {@code -Dproperty.seed=N} runs the case of seed N alone, with the same input.
 */
public final class Seeds {

    public static final String RERUN_PROPERTY = "property.seed";
    /** An input is shown up to this many characters: a generated one may be huge. */
    private static final int SHOWN = 300;

    private Seeds() {}

    /** {@code tries} fresh seeds, or the one given by {@code -Dproperty.seed}. */
    public static LongStream of(int tries) {
        String rerun = System.getProperty(RERUN_PROPERTY);
        if (rerun != null) {
            return LongStream.of(Long.parseLong(rerun.trim()));
        }
        return new SplittableRandom().longs(tries);
    }

    /** One fresh seed, or the one given by {@code -Dproperty.seed}: for a test that draws one batch. */
    public static long one() {
        return of(1).findFirst().orElseThrow();
    }

    /**
     * Checks {@code property} of {@code input}; a failure (an exception too) is rethrown as an
     * {@link AssertionError} that names the seed, how to run it again and a shortened picture of
     * the input. The cause's message is shortened too, and the cause is not chained, so that a
     * huge input never reaches the build log whole.
     */
    public static <T> void check(long seed, T input, Consumer<T> property) {
        try {
            property.accept(input);
        } catch (AssertionError | RuntimeException failure) {
            AssertionError named = new AssertionError("Seed " + seed + " fails (run it again with -D" + RERUN_PROPERTY
                    + "=" + seed + ").\nInput: " + describe(input) + "\n"
                    + failure.getClass().getSimpleName() + ": "
                    + shorten(String.valueOf(failure.getMessage())));
            named.setStackTrace(failure.getStackTrace());
            throw named;
        }
    }

    /** The input's size and its first characters, control and non-ASCII characters escaped. */
    public static String describe(Object input) {
        String shape = input instanceof CharSequence text
                ? text.length() + " chars"
                : input instanceof Map<?, ?> map
                        ? map.size() + " entries"
                        : input instanceof Collection<?> items
                                ? items.size() + " items"
                                : input == null ? "null" : input.getClass().getSimpleName();
        return shape + ": " + shorten(String.valueOf(input));
    }

    private static String shorten(String text) {
        StringBuilder shown = new StringBuilder();
        int i = 0;
        for (; i < text.length() && shown.length() < SHOWN; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> shown.append("\\n");
                case '\r' -> shown.append("\\r");
                case '\t' -> shown.append("\\t");
                case '\\' -> shown.append("\\\\");
                default -> shown.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            }
        }
        return i < text.length() ? shown + "... (" + (text.length() - i) + " more chars)" : shown.toString();
    }
}
