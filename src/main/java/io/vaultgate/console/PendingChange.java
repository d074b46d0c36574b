package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * A change between its impact preview and its apply: what to do, where, the version the preview
 * saw (so a change made by someone else in between answers {@code version-conflict} instead of
 * being overwritten), and an idempotency key (so sending the apply form twice applies once). It
 * travels in the preview page's form sealed by {@link SessionSeal#sealForm}, since it may hold a
 * value. Never printed.
 */
record PendingChange(
        Kind kind,
        String at,
        String key,
        @Nullable String value,
        @Nullable Integer version,
        @Nullable Integer expectedVersion,
        String idempotencyKey,
        Instant previewedAt) {

    enum Kind {
        SET,
        DELETE,
        ROLLBACK,
        /** A .env import: {@code value} holds the file's text, {@code key} is empty. */
        IMPORT
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            data.writeByte(kind.ordinal());
            data.writeUTF(at);
            data.writeUTF(key);
            writeText(data, value);
            data.writeInt(version == null ? -1 : version);
            data.writeInt(expectedVersion == null ? -1 : expectedVersion);
            data.writeUTF(idempotencyKey);
            data.writeLong(previewedAt.getEpochSecond());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Optional<PendingChange> of(byte[] bytes) {
        try (DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Kind kind = Kind.values()[data.readByte()];
            String at = data.readUTF();
            String key = data.readUTF();
            String value = readText(data);
            int version = data.readInt();
            int expected = data.readInt();
            String idempotencyKey = data.readUTF();
            Instant previewedAt = Instant.ofEpochSecond(data.readLong());
            return Optional.of(new PendingChange(
                    kind,
                    at,
                    key,
                    value,
                    version < 0 ? null : version,
                    expected < 0 ? null : expected,
                    idempotencyKey,
                    previewedAt));
        } catch (IOException | ArrayIndexOutOfBoundsException malformed) {
            return Optional.empty();
        }
    }

    private static void writeText(DataOutputStream data, @Nullable String text) throws IOException {
        if (text == null) {
            data.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        data.writeInt(bytes.length);
        data.write(bytes);
    }

    private static String readText(DataInputStream data) throws IOException {
        int length = data.readInt();
        if (length < 0) {
            return null;
        }
        return new String(data.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PendingChange[" + kind + " " + key + " at '" + at + "', value=redacted]";
    }
}
