package io.vaultgate.vault;

/**
 * Where an entry lives in the KV v2 mount: {@code <mount>/data/<pathPrefix>/<entry path>}. The
 * same rule as {@link VaultSecretValueStore}, for the adapters that read or grant entries.
 */
final class KvLayout {

    private final String dataPrefix;

    KvLayout(VaultProperties vault) {
        String mount = VaultSecretValueStore.trimSlashes(vault.mount());
        if (mount.isEmpty()) {
            throw new IllegalStateException("vaultgate.vault.mount must name the KV v2 mount");
        }
        String prefix = vault.pathPrefix() == null ? "" : VaultSecretValueStore.trimSlashes(vault.pathPrefix());
        this.dataPrefix = mount + "/data/" + (prefix.isEmpty() ? "" : prefix + "/");
    }

    /** The KV v2 data path of an entry, relative to Vault's {@code /v1/}. */
    String dataPath(EntryPath path) {
        return dataPrefix + VaultSecretValueStore.checked(path);
    }
}
