package io.vaultgate.web;

/** Quotes user input in error messages without letting a huge or multi-line input through. */
public final class Quoting {

    private static final int MAX = 80;

    private Quoting() {}

    public static String shorten(String input) {
        if (input == null) {
            return "";
        }
        String oneLine = input.replaceAll("[\\p{Cntrl}]", "?");
        return oneLine.length() <= MAX ? oneLine : oneLine.substring(0, MAX) + "...";
    }
}
