package io.vaultgate.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The encrypted fallback file of {@code vaultgate run}: the last environment fetched, so a
 * container can boot while the gateway is unreachable. AES-256-GCM under a key derived with the
 * JDK's PBKDF2WithHmacSHA256 (600,000 iterations, a fresh 16-byte random salt per write) from a
 * passphrase. The PBKDF2 output is 48 bytes: the first 32 are the key, the last 16 a verifier
 * kept in the header, so a wrong passphrase is told apart from a changed file (the verifier is
 * as costly to test as the key: one full derivation per guess).
 *
 * <p>Layout, version 1: {@code "VGFB"}, version byte {@code 1}, iterations (4 bytes, big-endian),
 * salt (16), verifier (16), GCM nonce (12), then the ciphertext with its 16-byte tag. The whole
 * header is the GCM associated data. The plaintext is JSON: {@code revision}, {@code takenAt}
 * and {@code environment} (KEY to value).
 */
final class FallbackFile {

    static final int VERSION = 1;
    static final int ITERATIONS = 600_000;
    /** A file asking for more is refused rather than worked on for minutes. */
    private static final int MAX_ITERATIONS = 10_000_000;

    private static final byte[] MAGIC = "VGFB".getBytes(StandardCharsets.US_ASCII);
    private static final int SALT_BYTES = 16;
    private static final int VERIFIER_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = MAGIC.length + 1 + 4 + SALT_BYTES + VERIFIER_BYTES + NONCE_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a fallback file holds. Never printed: {@link #toString} shows no value. */
    record Contents(String revision, Instant takenAt, SortedMap<String, String> environment) {
        @Override
        public String toString() {
            return "Contents[revision=" + revision + ", takenAt=" + takenAt + ", keys=" + environment.keySet() + "]";
        }
    }

    private FallbackFile() {}

    /**
     * Writes atomically: a file of this directory, owner-only from its creation, synced, then
     * renamed over the old one, so a reader sees the old file or the new one, never half of one.
     */
    static void write(Path file, char[] passphrase, Contents contents) throws IOException {
        byte[] salt = random(SALT_BYTES);
        byte[] nonce = random(NONCE_BYTES);
        byte[] derived = derive(passphrase, salt, ITERATIONS);
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES)
                .put(MAGIC)
                .put((byte) VERSION)
                .putInt(ITERATIONS)
                .put(salt)
                .put(Arrays.copyOfRange(derived, 32, 48))
                .put(nonce);
        Map<String, Object> plain = new LinkedHashMap<>();
        plain.put("revision", contents.revision());
        plain.put("takenAt", contents.takenAt().toString());
        plain.put("environment", contents.environment());
        byte[] plaintext = Json.write(plain).getBytes(StandardCharsets.UTF_8);
        byte[] sealed;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(derived, 0, 32, "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header.array());
            sealed = cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
            Arrays.fill(derived, (byte) 0);
        }
        Path absolute = file.toAbsolutePath();
        Path temporary = Files.createTempFile(
                absolute.getParent(),
                "." + absolute.getFileName() + ".",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(header.array()));
                channel.write(ByteBuffer.wrap(sealed));
                channel.force(true);
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Opens the file; every refusal is a {@link Refused} whose message says why, never a value. */
    static Contents read(Path file, char[] passphrase) throws Refused {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new Refused("there is no fallback file yet");
        } catch (IOException e) {
            throw new Refused(
                    "the fallback file cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length < HEADER_BYTES + TAG_BITS / 8
                || !Arrays.equals(Arrays.copyOfRange(bytes, 0, MAGIC.length), MAGIC)) {
            throw new Refused("the fallback file is not one vaultgate run wrote");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_BYTES);
        header.position(MAGIC.length);
        int version = header.get();
        if (version != VERSION) {
            throw new Refused("the fallback file has format version " + version + ", this vaultgate reads " + VERSION);
        }
        int iterations = header.getInt();
        if (iterations < ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new Refused("the fallback file's key derivation parameters are refused (changed file?)");
        }
        byte[] salt = new byte[SALT_BYTES];
        byte[] verifier = new byte[VERIFIER_BYTES];
        byte[] nonce = new byte[NONCE_BYTES];
        header.get(salt).get(verifier).get(nonce);
        byte[] derived = derive(passphrase, salt, iterations);
        try {
            if (!MessageDigest.isEqual(verifier, Arrays.copyOfRange(derived, 32, 48))) {
                throw new Refused(
                        "the passphrase does not open the fallback file (wrong passphrase, or another token)");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    new SecretKeySpec(derived, 0, 32, "AES"),
                    new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(bytes, 0, HEADER_BYTES);
            byte[] plaintext = cipher.doFinal(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES);
            try {
                return contents(new String(plaintext, StandardCharsets.UTF_8));
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        } catch (AEADBadTagException e) {
            throw new Refused("the fallback file was changed or damaged since it was written (integrity check failed)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JDK", e);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** Deletes the file, if there is one. */
    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Said by the caller's message: the file may be on a read-only mount.
        }
    }

    private static Contents contents(String text) throws Refused {
        try {
            Json json = Json.read(text);
            SortedMap<String, String> environment = new TreeMap<>();
            json.path("environment").fields().forEach((key, value) -> environment.put(key, value.asText()));
            return new Contents(
                    json.path("revision").asText(),
                    Instant.parse(json.path("takenAt").asText()),
                    environment);
        } catch (RuntimeException e) {
            throw new Refused("the fallback file's contents are not what vaultgate run writes");
        }
    }

    private static byte[] derive(char[] passphrase, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 48 * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }

    /** The file cannot be used; the message says why in words a person acts on. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
