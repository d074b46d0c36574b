package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.Test;

class WriteFlagsTest {

    @Test
    void aBareDryRunIsTrueAndAbsentFlagsAreTheirDefaults() {
        assertThat(WriteFlags.of(HttpRequest.PUT("/v1/projects/p/secrets/K?dryRun", "")))
                .isEqualTo(new WriteFlags(true, false, RestartMode.EVENTS));
        assertThat(WriteFlags.of(HttpRequest.PUT("/v1/projects/p/secrets/K", "")))
                .isEqualTo(new WriteFlags(false, false, RestartMode.EVENTS));
    }

    @Test
    void aMisspeltValueIsRefusedNamingTheFlag() {
        assertThatThrownBy(() -> WriteFlags.parse("ture", null, null)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(e.field()).isEqualTo("dryRun");
        });
        assertThatThrownBy(() -> WriteFlags.parse(null, null, "later")).isInstanceOf(ApiException.class);
    }

    @Test
    void aFlagSentTwiceIsRefusedSoNoTwoReadersCanDisagreeOnIt() {
        assertThatThrownBy(
                        () -> WriteFlags.of(HttpRequest.PUT("/v1/projects/p/secrets/K?dryRun=true&dryRun=false", "")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.field()).isEqualTo("dryRun");
                });
    }
}
