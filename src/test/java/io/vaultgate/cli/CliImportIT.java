package io.vaultgate.cli;

import static io.vaultgate.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.vaultgate.ApiClient;
import io.vaultgate.GatewayTest;
import io.vaultgate.dotenv.Dotenv;
import io.vaultgate.testing.RealParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The CLI's import on real parts: what lands in Vault is exactly what the parser reads, and a bad file lands nothing. */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliImportIT extends GatewayTest {

    private Cli cli;

    @BeforeAll
    void createCatalog() {
        ApiClient api = admin();
        assertThat(api.put("/v1/projects/acme", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/environments/production", json("type", "production"))
                        .status())
                .isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/services/api", null).status()).isEqualTo(201);
        assertThat(api.put("/v1/projects/acme/environments/production/services/api", null)
                        .status())
                .isEqualTo(201);
        cli = Cli.of(server.getURL().toString(), stack().adminToken());
    }

    @Test
    void importingHostileDotenvFilesLandsInVaultExactlyWhatTheParserReads() throws Exception {
        Map<String, String> expected = new HashMap<>();
        for (String name : List.of(
                "hostile-shell.env",
                "multiline-quoted.env",
                "unicode.env",
                "double-quote-deviations.env",
                "hash-in-value.env",
                "crlf.env",
                "bom.env")) {
            Path file = VaultgateCliTest.corpus(name);

            Cli.Result imported =
                    cli.run("import", "-p", "acme", "-e", "production", "-s", "api", "-f", file.toString());

            assertThat(imported.exit()).as(name + ": " + imported).isZero();
            expected.putAll(Dotenv.parse(Files.readString(file, StandardCharsets.UTF_8)));
        }

        JsonNode entry = vaultEntry("acme/env/production/svc/api").path("data");
        Map<String, String> inVault = new HashMap<>();
        // The entry also holds the gateway's own bookkeeping fields (vaultgate:...), never a KEY.
        entry.fields().forEachRemaining(field -> {
            if (!field.getKey().startsWith("vaultgate:")) {
                inVault.put(field.getKey(), field.getValue().asText());
            }
        });
        assertThat(inVault).isEqualTo(expected);
    }

    @Test
    void aFileWithOneBadLineLandsNothingInVault() throws Exception {
        Path file = Files.createTempFile("bad", ".env");
        Files.writeString(file, "FIRST=1\nSECOND=2\nthird=lower case is not a variable name here\n");

        Cli.Result refused = cli.run("import", "-p", "acme", "-s", "api", "-f", file.toString(), "-o", "json");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.json().path("line").asInt()).isEqualTo(3);
        assertThat(vaultEntry("acme/svc/api")).isNull();
    }
}
