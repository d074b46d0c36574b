package io.vaultgate.vault;

import java.util.Objects;

/**
 * Where one scope's values live, relative to the configured mount and path prefix
 * (for example {@code acme/env/production/svc/api}). Built only by the scope package.
 */
public record EntryPath(String path) {

    public EntryPath {
        Objects.requireNonNull(path, "path");
        if (path.isBlank() || path.startsWith("/") || path.endsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("invalid entry path: " + path);
        }
    }

    @Override
    public String toString() {
        return path;
    }
}
