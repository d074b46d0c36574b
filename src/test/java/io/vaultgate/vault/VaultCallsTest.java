package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.values.ValueStoreException;
import io.vaultgate.values.ValueStoreUnavailableException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;

class VaultCallsTest {

    private static final String PATH = "vaultgate/data/projects/acme";

    @Test
    void aStandbyWaitingForThePrimaryToUpgradeIsVaultUnavailableHavingChangedNothing() {
        ValueStoreException mapped = VaultCalls.translate(
                badRequest("{\"errors\":[\"Waiting for the primary to upgrade from non-versioned to versioned data."
                        + " This backend will be unavailable for a brief period and will resume service when the"
                        + " primary is finished.\"]}"),
                PATH);

        assertThat(mapped).isInstanceOf(ValueStoreUnavailableException.class);
        assertThat(mapped.changedNothing()).isTrue();
        assertThat(mapped.getMessage()).doesNotContain("non-versioned").contains(PATH);
    }

    @Test
    void anyOtherBadRequestStaysARefusalThatChangedNothing() {
        ValueStoreException mapped = VaultCalls.translate(badRequest("{\"errors\":[\"invalid key name\"]}"), PATH);

        assertThat(mapped).isNotInstanceOf(ValueStoreUnavailableException.class);
        assertThat(mapped.changedNothing()).isTrue();
    }

    @Test
    void aBadRequestWhoseBodyIsNotVaultsJsonStaysARefusal() {
        assertThat(VaultCalls.translate(badRequest("<html>bad request</html>"), PATH))
                .isNotInstanceOf(ValueStoreUnavailableException.class);
    }

    private static HttpClientErrorException badRequest(String body) {
        return HttpClientErrorException.create(
                HttpStatus.BAD_REQUEST,
                "Bad Request",
                new HttpHeaders(),
                body.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
    }
}
