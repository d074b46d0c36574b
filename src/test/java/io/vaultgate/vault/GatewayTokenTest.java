package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTokenTest {

    @TempDir
    Path dir;

    @Test
    void theTokenFileWinsOverTheTokenAndAFinalNewlineIsNotPartOfIt() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s.from-file\n");

        GatewayToken token = GatewayToken.of(vault("s.from-env"), source(file));

        assertThat(token.getSessionToken().getToken()).isEqualTo("s.from-file");
    }

    @Test
    void aChangedFileSwitchesTheTokenOnceAndCountsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s.old");
        GatewayToken token = GatewayToken.of(vault(""), source(file));

        Files.writeString(file, "s.new\n");

        assertThat(token.reload()).isTrue();
        assertThat(token.reload()).isFalse();
        assertThat(token.current()).isEqualTo("s.new");
        assertThat(token.switches()).isEqualTo(1);
        assertThat(token.newerThan("s.old"))
                .as("a call sent with the old token may go again")
                .isTrue();
        assertThat(token.newerThan("s.new")).isFalse();
    }

    @Test
    void aFileHalfWrittenEmptyOrGoneKeepsTheCurrentToken() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s.old");
        GatewayToken token = GatewayToken.of(vault(""), source(file));

        for (String content : new String[] {"", "  \n", "s.one\ns.two", "s.with space"}) {
            Files.writeString(file, content);
            assertThat(token.reload()).as(content).isFalse();
        }
        Files.delete(file);
        assertThat(token.reload()).isFalse();

        assertThat(token.current()).isEqualTo("s.old");
    }

    @Test
    void aMissingTokenFileStopsTheStartNamingTheFileNotItsContent() throws Exception {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> GatewayToken.of(vault("s.secret-env"), source(missing)))
                .hasMessageContaining(missing.toString())
                .hasMessageNotContaining("s.secret-env");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> GatewayToken.of(vault("s.secret-env"), source(empty)))
                .hasMessageContaining("token-file");
        assertThatThrownBy(() -> GatewayToken.of(vault(" "), source(null))).hasMessageContaining("VAULT_TOKEN");
    }

    @Test
    void itNeverPrintsTheToken() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "s.canary");

        assertThat(GatewayToken.of(vault(""), source(file)).toString()).doesNotContain("s.canary");
    }

    private static VaultProperties vault(String token) {
        return new VaultProperties(null, token, "vaultgate", "projects", null, null, 400, null);
    }

    private static GatewayTokenProperties source(Path file) {
        return new GatewayTokenProperties(file == null ? "" : file.toString());
    }
}
