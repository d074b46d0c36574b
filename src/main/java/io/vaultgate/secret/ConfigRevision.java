package io.vaultgate.secret;

import io.vaultgate.scope.ScopeChain;
import io.vaultgate.values.EntryPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.function.ToIntFunction;

/**
 * A deployment's config revision: a SHA-256 over each resolved key, the scope it comes from and
 * its version. It changes whenever what the deployment would read changes, and is computed
 * from metadata only, never from values.
 */
public final class ConfigRevision {

    private ConfigRevision() {}

    /** @param resolved key → its source scope and version, sorted by key, as {@link ScopeChain#resolve} answers */
    public static <T> String of(SortedMap<String, ScopeChain.Resolved<T>> resolved, ToIntFunction<T> version) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            resolved.forEach((key, item) -> digest.update(
                    (key + "\u0000" + EntryPath.of(item.source().scope()).path() + "\u0000"
                                    + version.applyAsInt(item.source().item()) + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
