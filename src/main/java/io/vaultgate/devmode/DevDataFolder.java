package io.vaultgate.devmode;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/**
 * Dev mode's data folder (H2 metadata, encrypted values and their key, the admin token) is the
 * owner's alone: created {@code 0700} before the datasource or the store write into it, right after
 * {@code RunMode}. Files the gateway writes there itself are created {@code 0600}: the permissions
 * are part of the creation, so no other user can open the file in a window before a chmod.
 *
 * <p>An existing folder is left as it is: it may be one the user chose and shares on purpose.
 */
@Context
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
@Requires(property = "vaultgate.mode", value = "dev")
public final class DevDataFolder {

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    DevDataFolder(DevStoreProperties dev) {
        if (dev.dataDir() == null) {
            throw new IllegalStateException("vaultgate.dev.data-dir (VAULTGATE_DATA_DIR) must be set in dev mode");
        }
        try {
            createOwnerOnly(dev.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the dev data folder " + dev.dataDir(), e);
        }
    }

    /** Creates the folder and any missing parent as {@code rwx------}; an existing folder stays as it is. */
    static void createOwnerOnly(Path folder) throws IOException {
        if (POSIX) {
            Files.createDirectories(
                    folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(folder); // Windows: the folder inherits the ACL of the user's own profile
        }
    }

    /** Writes {@code text} to a new file that is {@code rw-------} from its creation; replaces an older one. */
    public static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        FileAttribute<?>[] ownerOnly = POSIX
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
        try (SeekableByteChannel channel = Files.newByteChannel(
                file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }
}
