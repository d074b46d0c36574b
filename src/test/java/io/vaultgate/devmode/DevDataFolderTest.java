package io.vaultgate.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev data folder and the files the gateway writes there are owner-only from their creation. */
class DevDataFolderTest {

    @TempDir
    Path temp;

    @Test
    void aMissingDataFolderAndItsMissingParentsAreCreatedOwnerOnly() throws IOException {
        Path folder = temp.resolve("home").resolve("vaultgate-data");

        DevDataFolder.createOwnerOnly(folder);

        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(folder.getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void anExistingFolderIsLeftAsItIs() throws IOException {
        Path shared = Files.createDirectory(
                temp.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));

        DevDataFolder.createOwnerOnly(shared);

        assertThat(Files.getPosixFilePermissions(shared)).isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    }

    @Test
    void aWrittenFileIsOwnerOnlyAndReplacesAWorldReadableOne() throws IOException {
        Path file = temp.resolve("admin-token");
        Files.writeString(file, "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

        DevDataFolder.writeOwnerOnly(file, "vg_dev_new\n");

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(file)).isEqualTo("vg_dev_new\n");
    }
}
