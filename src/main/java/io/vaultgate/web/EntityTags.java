package io.vaultgate.web;

import java.util.List;

/** Entity tags as the gateway sends them (strong, quoted) and reads them back from {@code If-None-Match}. */
public final class EntityTags {

    private EntityTags() {}

    /** A strong entity tag: the opaque value, quoted. */
    public static String of(String opaque) {
        return "\"" + opaque + "\"";
    }

    /**
     * Whether {@code If-None-Match} (every line of it) names the tag. It uses the weak comparison
     * (RFC 9110 13.1.2): {@code W/} is ignored; {@code *} matches any.
     */
    public static boolean matches(List<String> ifNoneMatch, String tag) {
        for (String header : ifNoneMatch) {
            for (String candidate : header.split(",")) {
                String t = candidate.trim();
                if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(tag)) {
                    return true;
                }
            }
        }
        return false;
    }
}
