package io.vaultgate.delivery;

import java.util.List;

/**
 * The ETag of a deployment's environment is its config revision (a hash of key, source scope
 * and version: never of values), the same in every format: it names the configuration, and
 * {@code Cache-Control: no-store} keeps any cache from serving one rendering for another.
 */
final class ETags {

    private ETags() {}

    static String of(String revision) {
        return "\"" + revision + "\"";
    }

    /** If-None-Match uses the weak comparison: {@code W/} is ignored; {@code *} matches anything. */
    static boolean matches(List<String> ifNoneMatch, String revision) {
        for (String header : ifNoneMatch) {
            for (String tag : header.split(",")) {
                String t = tag.trim();
                if (t.equals("*")) {
                    return true;
                }
                if (t.startsWith("W/")) {
                    t = t.substring(2);
                }
                if (t.equals(of(revision))) {
                    return true;
                }
            }
        }
        return false;
    }
}
