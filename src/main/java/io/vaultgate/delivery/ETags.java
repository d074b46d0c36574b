package io.vaultgate.delivery;

import io.vaultgate.web.EntityTags;
import java.util.List;

/**
 * The ETag of a deployment's environment is its config revision (a hash of key, source scope
 * and version: never of values), the same in every format: it names the configuration, and
 * {@code Cache-Control: no-store} keeps any cache from serving one rendering for another.
 */
final class ETags {

    /** A config revision: a SHA-256 in lower-case hex. */
    static final String REVISION_PATTERN = "^[0-9a-f]{64}$";

    private ETags() {}

    static String of(String revision) {
        return EntityTags.of(revision);
    }

    static boolean matches(List<String> ifNoneMatch, String revision) {
        return EntityTags.matches(ifNoneMatch, of(revision));
    }
}
