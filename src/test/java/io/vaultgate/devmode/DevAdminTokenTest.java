package io.vaultgate.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.access.AuthProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin token file a dev-mode start writes, through the code path the start takes. */
class DevAdminTokenTest {

    @TempDir
    Path dataDir;

    @Test
    void theTokenFileIsOwnerOnlyEvenOverAWorldReadableOneAndHoldsTheTokenThatWorks() throws IOException {
        Path file = dataDir.resolve("admin-token");
        Files.writeString(file, "a token of an earlier start\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        DevAdminToken admin = new DevAdminToken(
                new AuthProperties(null, null, null, null, null, null, null, null, null, null),
                new DevStoreProperties(dataDir));

        admin.announce("http://127.0.0.1:8080");

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String token = Files.readString(file).strip();
        assertThat(token).startsWith("vg_dev_");
        assertThat(admin.lookup(token))
                .hasValueSatisfying(info -> assertThat(info.policies()).contains("vaultgate-admin"));
        assertThat(admin.lookup("a token of an earlier start")).isEmpty();
    }
}
