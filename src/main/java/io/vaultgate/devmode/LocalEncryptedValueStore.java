package io.vaultgate.devmode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Requires;
import io.vaultgate.values.CasMismatchException;
import io.vaultgate.values.DraftEntries;
import io.vaultgate.values.EntryFields;
import io.vaultgate.values.EntryPath;
import io.vaultgate.values.SecretValue;
import io.vaultgate.values.SecretValueStore;
import io.vaultgate.values.StoreHealth;
import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.ValueStoreUnavailableException;
import io.vaultgate.values.VersionedEntry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Dev mode's values: one file per entry under {@code <dataDir>/values/}, holding every kept
 * version of the entry, encrypted with AES-256-GCM under a key generated on first start in
 * {@code <dataDir>/values.key}. Same check-and-set and versioning rules as Vault KV v2, so the
 * same contract tests pass against both.
 *
 * <p>File layout: {@code "VGV1"} | 12-byte random nonce | ciphertext with its 16-byte tag. The
 * entry path is the GCM associated data, so a file copied over another entry's file is refused
 * like a tampered one. A file is replaced atomically (temporary file, fsync, atomic rename):
 * a crash leaves either the old or the new version set, never half a file.
 *
 * <p>Writes to one entry are serialized inside this process; one process owns a data folder
 * (dev mode's H2 file database holds the same folder exclusively anyway).
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "dev")
class LocalEncryptedValueStore implements SecretValueStore, DraftEntries {

    private static final byte[] MAGIC = "VGV1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final String AAD_PREFIX = "vaultgate-values-v1:";
    private static final String ENTRY_SUFFIX = ".entry";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path valuesDir;
    private final Path keyFile;
    private final SecretKey key;
    private final int maxVersions;
    private final SecureRandom random = new SecureRandom();
    private final Map<EntryPath, Object> entryLocks = new ConcurrentHashMap<>();

    @Inject
    LocalEncryptedValueStore(DevStoreProperties dev) {
        this(dev.dataDir(), dev.maxVersions());
    }

    LocalEncryptedValueStore(Path dataDir, int maxVersions) {
        if (dataDir == null) {
            throw new IllegalStateException("vaultgate.dev.data-dir (VAULTGATE_DATA_DIR) must be set in dev mode");
        }
        if (maxVersions < 1) {
            throw new IllegalArgumentException("maxVersions must be at least 1, got " + maxVersions);
        }
        this.maxVersions = maxVersions;
        this.valuesDir = dataDir.resolve("values");
        this.keyFile = dataDir.resolve("values.key");
        try {
            createPrivateDirectories(valuesDir);
            removeLeftoverTempFiles();
            this.key = loadOrCreateKey();
        } catch (IOException e) {
            throw new ValueStoreUnavailableException("cannot prepare the local value store in " + valuesDir, e);
        }
    }

    @Override
    public Optional<VersionedEntry> read(EntryPath path) {
        return load(path)
                .flatMap(entry -> entry.versions().isEmpty()
                        ? Optional.empty()
                        : Optional.of(entry.versions()
                                .get(entry.versions().size() - 1)
                                .toEntry()));
    }

    @Override
    public Optional<VersionedEntry> read(EntryPath path, int version) {
        return load(path)
                .flatMap(entry -> entry.versions().stream()
                        .filter(v -> v.version() == version)
                        .findFirst()
                        .map(StoredVersion::toEntry));
    }

    @Override
    public int currentVersion(EntryPath path) {
        return load(path).map(StoredEntry::currentVersion).orElse(0);
    }

    @Override
    public int oldestKeptVersion(EntryPath path) {
        return load(path)
                .map(entry ->
                        entry.versions().isEmpty() ? 0 : entry.versions().get(0).version())
                .orElse(0);
    }

    @Override
    public int write(
            EntryPath path, Map<String, SecretValue> values, String changeSetId, int cas, IntConsumer landsAs) {
        Map<String, String> data = EntryFields.forWrite(values, cas);
        landsAs.accept(cas + 1);
        synchronized (entryLocks.computeIfAbsent(path, p -> new Object())) {
            Optional<StoredEntry> stored = load(path);
            int current = stored.map(StoredEntry::currentVersion).orElse(0);
            if (cas != current) {
                throw new CasMismatchException(path, cas);
            }
            List<StoredVersion> versions =
                    new ArrayList<>(stored.map(StoredEntry::versions).orElse(List.of()));
            int version = current + 1;
            versions.add(new StoredVersion(version, changeSetId, data));
            if (versions.size() > maxVersions) {
                versions = new ArrayList<>(versions.subList(versions.size() - maxVersions, versions.size()));
            }
            save(path, new StoredEntry(path.path(), versions));
            return version;
        }
    }

    @Override
    public void deleteDraft(EntryPath draft) {
        if (!draft.isDraft()) {
            throw new IllegalArgumentException("only a change-set draft's entry is ever deleted: " + draft);
        }
        synchronized (entryLocks.computeIfAbsent(draft, p -> new Object())) {
            try {
                Files.deleteIfExists(fileOf(draft));
            } catch (IOException e) {
                throw new ValueStoreException("could not delete the draft entry " + draft, e);
            }
        }
    }

    @Override
    public StoreHealth health() {
        try {
            Path probe = Files.createTempFile(valuesDir, "health-", TEMP_SUFFIX);
            Files.delete(probe);
            return StoreHealth.up("local encrypted store in " + valuesDir);
        } catch (IOException | SecurityException e) {
            return StoreHealth.down("local value folder " + valuesDir + " is not writable");
        }
    }

    // --- files --------------------------------------------------------------------------------

    private Optional<StoredEntry> load(EntryPath path) {
        Path file = fileOf(path);
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ValueStoreUnavailableException("cannot read the value file of entry " + path, e);
        }
        byte[] plain = decrypt(path, sealed);
        try {
            StoredEntry entry = JSON.readValue(plain, StoredEntry.class);
            if (!path.path().equals(entry.path())) {
                throw new ValueStoreException("the value file of entry " + path + " belongs to another entry");
            }
            return Optional.of(entry);
        } catch (IOException e) {
            // Authenticated but unreadable: written by an incompatible version. No cause: Jackson's
            // message may quote the plaintext.
            throw new ValueStoreException("the value file of entry " + path + " has an unknown format");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private void save(EntryPath path, StoredEntry entry) {
        byte[] plain;
        try {
            plain = JSON.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new ValueStoreException("cannot encode entry " + path);
        }
        byte[] sealed = encrypt(path, plain);
        Arrays.fill(plain, (byte) 0);
        Path target = fileOf(path);
        Path temp = null;
        try {
            temp = Files.createTempFile(valuesDir, target.getFileName().toString() + "-", TEMP_SUFFIX);
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(sealed);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            syncDirectory();
        } catch (AtomicMoveNotSupportedException e) {
            throw new ValueStoreUnavailableException(
                    "the file system of " + valuesDir + " cannot replace files atomically", e);
        } catch (IOException e) {
            throw new ValueStoreUnavailableException("cannot write the value file of entry " + path, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // removed at the next start
                }
            }
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, and then it is best effort. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(valuesDir, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory; NTFS journals the rename.
        }
    }

    /**
     * A hash of the entry path: any path maps to one short, portable file name, with no
     * folder structure to mirror and no characters a file system might refuse.
     */
    private Path fileOf(EntryPath path) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256").digest(path.path().getBytes(StandardCharsets.UTF_8));
            return valuesDir.resolve(HexFormat.of().formatHex(digest) + ENTRY_SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void removeLeftoverTempFiles() throws IOException {
        try (Stream<Path> files = Files.list(valuesDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    // --- encryption ---------------------------------------------------------------------------

    private byte[] encrypt(EntryPath path, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(path));
            byte[] ciphertext = cipher.doFinal(plain);
            return ByteBuffer.allocate(MAGIC.length + NONCE_BYTES + ciphertext.length)
                    .put(MAGIC)
                    .put(nonce)
                    .put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
    }

    private byte[] decrypt(EntryPath path, byte[] sealed) {
        int header = MAGIC.length + NONCE_BYTES;
        if (sealed.length < header + TAG_BITS / 8 || !Arrays.equals(MAGIC, 0, MAGIC.length, sealed, 0, MAGIC.length)) {
            throw new ValueStoreException("the value file of entry " + path + " is not a Vaultgate value file");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, MAGIC.length, NONCE_BYTES));
            cipher.updateAAD(associatedData(path));
            return cipher.doFinal(sealed, header, sealed.length - header);
        } catch (AEADBadTagException e) {
            throw new ValueStoreException("the value file of entry " + path + " failed its integrity check: it was"
                    + " changed outside Vaultgate, copied from another entry, or encrypted with another values.key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
    }

    private static byte[] associatedData(EntryPath path) {
        return (AAD_PREFIX + path.path()).getBytes(StandardCharsets.UTF_8);
    }

    private SecretKey loadOrCreateKey() throws IOException {
        if (!Files.exists(keyFile)) {
            refuseNewKeyOverExistingValues();
            byte[] fresh = new byte[KEY_BYTES];
            random.nextBytes(fresh);
            Path temp = Files.createTempFile(keyFile.getParent(), "values.key-", TEMP_SUFFIX);
            try {
                restrictToOwner(temp);
                Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n", StandardCharsets.US_ASCII);
                // No REPLACE_EXISTING: if another start won the race, its key is the one to use.
                Files.move(temp, keyFile);
                restrictToOwner(keyFile);
            } catch (FileAlreadyExistsException raceLost) {
                // fall through and read the winner's key
            } finally {
                Files.deleteIfExists(temp);
                Arrays.fill(fresh, (byte) 0);
            }
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder()
                    .decode(Files.readString(keyFile, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new ValueStoreException(keyFile + " is not a base64-encoded key");
        }
        if (raw.length != KEY_BYTES) {
            throw new ValueStoreException(keyFile + " does not hold a 256-bit key");
        }
        SecretKey secretKey = new SecretKeySpec(raw, "AES");
        Arrays.fill(raw, (byte) 0);
        return secretKey;
    }

    /** A fresh key next to files sealed with a lost one would make them unreadable without a word. */
    private void refuseNewKeyOverExistingValues() throws IOException {
        try (Stream<Path> files = Files.list(valuesDir)) {
            if (files.anyMatch(f -> f.getFileName().toString().endsWith(ENTRY_SUFFIX))) {
                throw new ValueStoreException(keyFile + " is missing but " + valuesDir + " holds encrypted values;"
                        + " restore the key file, or remove the values folder to start empty");
            }
        }
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        // Elsewhere the file inherits the ACL of the user's own data folder.
    }

    // --- what a file holds --------------------------------------------------------------------

    /** Every kept version of one entry, oldest first; the entry path is repeated to catch swapped files. */
    record StoredEntry(String path, List<StoredVersion> versions) {

        int currentVersion() {
            return versions.isEmpty() ? 0 : versions.get(versions.size() - 1).version();
        }

        @Override
        public String toString() {
            return "StoredEntry[path=" + path + ", versions=" + versions.size() + "]";
        }
    }

    record StoredVersion(int version, String changeSetId, Map<String, String> data) {

        VersionedEntry toEntry() {
            Map<String, SecretValue> values = new LinkedHashMap<>();
            data.forEach((k, v) -> values.put(k, new SecretValue(v)));
            return new VersionedEntry(version, values, changeSetId);
        }

        @Override
        public String toString() {
            return "StoredVersion[version=" + version + ", keys=" + data.keySet() + "]";
        }
    }
}
