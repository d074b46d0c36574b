package io.vaultgate.devmode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.SecretValueStoreContract;
import io.vaultgate.values.StoreHealth;
import io.vaultgate.values.ValueStoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the local store, plus what only a store on disk can get wrong. */
class LocalEncryptedValueStoreTest extends SecretValueStoreContract {

    private static final int MAX_VERSIONS = 5;

    @TempDir
    Path dataDir;

    private LocalEncryptedValueStore store;

    @BeforeEach
    void openStore() {
        store = new LocalEncryptedValueStore(dataDir, MAX_VERSIONS);
    }

    @Override
    protected SecretValueStore store() {
        return store;
    }

    @Override
    protected int versionsKept(EntryPath path) {
        return MAX_VERSIONS;
    }

    @Test
    void theFileOnDiskDoesNotContainThePlaintext() throws IOException {
        EntryPath path = new EntryPath("acme/env/production/svc/api");
        store.write(
                path, values("DATABASE_PASSWORD", CANARY, "PEM", "-----BEGIN PRIVATE KEY-----\n" + CANARY), "cs-1", 0);
        store.write(path, values("DATABASE_PASSWORD", CANARY + "-rotated"), "cs-2", 1);

        List<Path> files = allFiles();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(content)
                    .as(file.toString())
                    .doesNotContain(CANARY)
                    .doesNotContain("DATABASE_PASSWORD")
                    .doesNotContain("acme/env");
        }
    }

    @Test
    void aTamperedFileIsRefusedWithAClearError() throws IOException {
        EntryPath path = new EntryPath("acme/svc/api");
        store.write(path, values("A", "1"), "cs-1", 0);
        Path file = entryFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 0x01;
        Files.write(file, bytes);

        assertThatThrownBy(() -> store.read(path))
                .isInstanceOf(ValueStoreException.class)
                .hasMessageContaining("acme/svc/api")
                .hasMessageContaining("integrity check");
        assertThatThrownBy(() -> store.write(path, values("A", "2"), "cs-2", 1))
                .isInstanceOf(ValueStoreException.class)
                .hasMessageContaining("integrity check");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        EntryPath path = new EntryPath("acme/svc/api");
        store.write(path, values("A", "1"), "cs-1", 0);
        Files.write(entryFiles().get(0), new byte[] {'V', 'G'});

        assertThatThrownBy(() -> store.read(path))
                .isInstanceOf(ValueStoreException.class)
                .hasMessageContaining("not a Vaultgate value file");
    }

    @Test
    void aFileCopiedOverAnotherEntrysFileIsRefused() throws IOException {
        EntryPath victim = new EntryPath("acme/env/production");
        EntryPath attacker = new EntryPath("acme/env/staging");
        store.write(victim, values("A", "production"), "cs-1", 0);
        Path victimFile = entryFiles().get(0);
        store.write(attacker, values("A", "staging"), "cs-2", 0);
        Path attackerFile = entryFiles().stream()
                .filter(f -> !f.equals(victimFile))
                .findFirst()
                .orElseThrow();

        Files.copy(attackerFile, victimFile, StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> store.read(victim))
                .isInstanceOf(ValueStoreException.class)
                .hasMessageContaining("integrity check");
    }

    @Test
    void valuesSurviveARestart() {
        EntryPath path = new EntryPath("acme/svc/api");
        store.write(path, values("A", "1"), "cs-1", 0);
        store.write(path, values("A", "2"), "cs-2", 1);

        LocalEncryptedValueStore reopened = new LocalEncryptedValueStore(dataDir, MAX_VERSIONS);

        assertThat(reopened.currentVersion(path)).isEqualTo(2);
        assertThat(plain(reopened.read(path).orElseThrow())).containsOnly(Map.entry("A", "2"));
        assertThat(plain(reopened.read(path, 1).orElseThrow())).containsOnly(Map.entry("A", "1"));
        assertThat(reopened.write(path, values("A", "3"), "cs-3", 2)).isEqualTo(3);
    }

    @Test
    void anotherKeyCannotReadTheValues() throws IOException {
        EntryPath path = new EntryPath("acme/svc/api");
        store.write(path, values("A", "1"), "cs-1", 0);
        Path otherDir = Files.createDirectories(dataDir.resolve("other"));
        new LocalEncryptedValueStore(otherDir, MAX_VERSIONS); // creates another key
        Files.copy(otherDir.resolve("values.key"), dataDir.resolve("values.key"), StandardCopyOption.REPLACE_EXISTING);

        LocalEncryptedValueStore withOtherKey = new LocalEncryptedValueStore(dataDir, MAX_VERSIONS);

        assertThatThrownBy(() -> withOtherKey.read(path))
                .isInstanceOf(ValueStoreException.class)
                .hasMessageContaining("values.key");
    }

    @Test
    void aLostKeyIsNotSilentlyReplacedWhileValuesExist() throws IOException {
        store.write(new EntryPath("acme/svc/api"), values("A", "1"), "cs-1", 0);
        Files.delete(dataDir.resolve("values.key"));

        assertThatThrownBy(() -> new LocalEncryptedValueStore(dataDir, MAX_VERSIONS))
                .isInstanceOf(ValueStoreException.class)
                .hasMessageContaining("values.key is missing");
    }

    @Test
    void theKeyIsA256BitKeyReadableOnlyByItsOwner() throws IOException {
        Path keyFile = dataDir.resolve("values.key");

        assertThat(java.util.Base64.getDecoder()
                        .decode(Files.readString(keyFile).strip()))
                .hasSize(32);
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        assertThat(Files.getPosixFilePermissions(keyFile))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theKeyIsKeptAcrossRestarts() throws IOException {
        String key = Files.readString(dataDir.resolve("values.key"));

        new LocalEncryptedValueStore(dataDir, MAX_VERSIONS);

        assertThat(Files.readString(dataDir.resolve("values.key"))).isEqualTo(key);
    }

    @Test
    void eachWriteUsesAFreshNonce() throws IOException {
        EntryPath one = new EntryPath("acme/one");
        EntryPath two = new EntryPath("acme/two");
        store.write(one, values("A", "same"), "cs", 0);
        store.write(two, values("A", "same"), "cs", 0);

        List<Path> files = entryFiles();
        byte[] first = Files.readAllBytes(files.get(0));
        byte[] second = Files.readAllBytes(files.get(1));
        assertThat(java.util.Arrays.copyOfRange(first, 4, 16))
                .isNotEqualTo(java.util.Arrays.copyOfRange(second, 4, 16));
    }

    @Test
    void leftoverTemporaryFilesFromACrashAreRemovedAtStart() throws IOException {
        EntryPath path = new EntryPath("acme/svc/api");
        store.write(path, values("A", "1"), "cs-1", 0);
        Path leftover = dataDir.resolve("values").resolve("half-written.entry-123.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});

        LocalEncryptedValueStore reopened = new LocalEncryptedValueStore(dataDir, MAX_VERSIONS);

        assertThat(leftover).doesNotExist();
        assertThat(reopened.currentVersion(path)).isEqualTo(1);
    }

    @Test
    void healthIsDownWhenTheFolderIsGone() throws IOException {
        Path valuesDir = dataDir.resolve("values");
        try (Stream<Path> files = Files.list(valuesDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(valuesDir);

        StoreHealth health = store.health();

        assertThat(health.up()).isFalse();
        assertThat(health.detail()).contains("not writable");
    }

    @Test
    void maxVersionsComesFromTheDevProperties() {
        DevStoreProperties dev = new DevStoreProperties(dataDir, 2);
        LocalEncryptedValueStore configured = new LocalEncryptedValueStore(dev);
        EntryPath path = new EntryPath("acme/svc/api");
        for (int v = 1; v <= 3; v++) {
            configured.write(path, values("A", String.valueOf(v)), "cs", v - 1);
        }

        assertThat(configured.read(path, 1)).isEmpty();
        assertThat(configured.read(path, 2)).isPresent();
        assertThat(new DevStoreProperties(dataDir).maxVersions()).isEqualTo(DevStoreProperties.DEFAULT_MAX_VERSIONS);
    }

    private List<Path> allFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private List<Path> entryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dataDir.resolve("values"))) {
            return files.filter(f -> f.toString().endsWith(".entry")).sorted().toList();
        }
    }
}
