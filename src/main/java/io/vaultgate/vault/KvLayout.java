package io.vaultgate.vault;

import io.vaultgate.values.EntryPath;
import java.util.regex.Pattern;

/**
 * Where an entry lives in the KV v2 mount: {@code <mount>/data/<pathPrefix>/<entry path>} (and
 * {@code <mount>/metadata/...} for its history). The one home of that rule for every adapter that
 * reads, writes or grants entries.
 *
 * <p>The path prefix is one path segment: the {@code vaultgate-workload} policy names it through an
 * ACL template, and Vault refuses a templated value that holds a '/'.
 */
final class KvLayout {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final String mount;
    private final String pathPrefix;

    KvLayout(VaultProperties vault) {
        this.mount = trimSlashes(vault.mount());
        if (mount.isEmpty()) {
            throw new IllegalStateException("vaultgate.vault.mount must name the KV v2 mount");
        }
        this.pathPrefix = vault.pathPrefix() == null ? "" : trimSlashes(vault.pathPrefix());
        if (!SEGMENT.matcher(pathPrefix).matches()) {
            throw new IllegalStateException("vaultgate.vault.path-prefix must be one path segment of letters, digits, "
                    + "'.', '_' and '-' (default 'projects'); got '" + vault.pathPrefix() + "'");
        }
    }

    /** The KV v2 data path of an entry, relative to Vault's {@code /v1/}. */
    String dataPath(EntryPath path) {
        return mount + "/data/" + pathPrefix + "/" + checked(path);
    }

    /** The KV v2 metadata path of an entry, relative to Vault's {@code /v1/}. */
    String metadataPath(EntryPath path) {
        return mount + "/metadata/" + pathPrefix + "/" + checked(path);
    }

    String mount() {
        return mount;
    }

    String pathPrefix() {
        return pathPrefix;
    }

    /** Entry paths go into a URI template; braces or a query would change which resource is called. */
    static String checked(EntryPath path) {
        String p = path.path();
        if (p.contains("{") || p.contains("}") || p.contains("?") || p.contains("#")) {
            throw new IllegalArgumentException("entry path may not contain '{', '}', '?' or '#': " + p);
        }
        return p;
    }

    static String trimSlashes(String s) {
        String t = s == null ? "" : s.strip();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
