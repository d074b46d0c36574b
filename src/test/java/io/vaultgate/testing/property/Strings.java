package io.vaultgate.testing.property;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random strings for property tests, drawn from a {@link RandomGenerator} so that a seed gives
 * the same string again. Lengths lean short (see {@link #length}), as corners hide in short
 * inputs: the empty string, one character, two that interact.
 */
public final class Strings {

    private Strings() {}

    /** Any UTF-16 units, lone surrogates and NUL included. */
    public static String anyUnits(RandomGenerator random, int maxLength) {
        StringBuilder units = new StringBuilder();
        for (int n = length(random, maxLength); n > 0; n--) {
            units.append((char) random.nextInt(Character.MAX_VALUE + 1));
        }
        return units.toString();
    }

    /**
     * Text of the Basic Multilingual Plane without surrogates, noncharacters and private use: what
     * jqwik drew for a plain {@code @ForAll String}.
     */
    public static String text(RandomGenerator random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int n = length(random, maxLength); n > 0; ) {
            char c = (char) random.nextInt(Character.MAX_VALUE + 1);
            boolean noncharacter = c >= '\uFDD0' && c <= '\uFDEF' || c == '\uFFFE' || c == '\uFFFF';
            if (!Character.isSurrogate(c) && !noncharacter && !(c >= '\uE000' && c <= '\uF8FF')) {
                text.append(c);
                n--;
            }
        }
        return text.toString();
    }

    /** Units of {@code alphabet}, each drawn alone: a surrogate pair in it also comes out as two lone halves. */
    public static String of(RandomGenerator random, String alphabet, int minLength, int maxLength) {
        StringBuilder units = new StringBuilder();
        for (int n = minLength + length(random, maxLength - minLength); n > 0; n--) {
            units.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return units.toString();
    }

    /** Up to {@code maxCount} of {@code tokens}, each drawn alone, joined. */
    public static String joined(RandomGenerator random, List<String> tokens, int maxCount) {
        StringBuilder joined = new StringBuilder();
        for (int n = length(random, maxCount); n > 0; n--) {
            joined.append(pick(random, tokens));
        }
        return joined.toString();
    }

    public static <T> T pick(RandomGenerator random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** 0 to {@code max}; half the time 0 to 8, so that the empty and the tiny come up often. */
    public static int length(RandomGenerator random, int max) {
        return random.nextInt((random.nextBoolean() ? Math.min(max, 8) : max) + 1);
    }
}
