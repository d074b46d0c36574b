package io.vaultgate.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.web.ApiException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenRulesTest {

    private static final Duration DEFAULT = Duration.ofMinutes(15);
    private static final Duration MAX = Duration.ofHours(1);

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {"null, 900", "1, 1", "900, 900", "3599, 3599", "3600, 3600"})
    void aTtlUpToTheMaximumIsGrantedAsAsked(Integer requested, long granted) {
        assertThat(TokenRules.ttl(requested, DEFAULT, MAX)).isEqualTo(Duration.ofSeconds(granted));
    }

    @ParameterizedTest
    @CsvSource({"3601, ttl-too-long", "86400, ttl-too-long", "0, invalid-ttl", "-5, invalid-ttl"})
    void aTtlAboveTheMaximumIsRefusedNotCapped(int requested, String code) {
        assertThatThrownBy(() -> TokenRules.ttl(requested, DEFAULT, MAX))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).errorCode().code())
                .isEqualTo(code);
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {"null, 0, 0", "0, 0, 0", "1, 1, 5", "3, 3, 15", "1000, 1000, 5000"})
    void bootFetchesBecomeVaultUsesFivePerFetch(Integer requested, int fetches, int vaultUses) {
        int granted = TokenRules.bootFetches(requested, 1000);
        assertThat(granted).isEqualTo(fetches);
        assertThat(TokenRules.vaultNumUses(granted)).isEqualTo(vaultUses);
    }

    @ParameterizedTest
    @CsvSource({"-1", "1001"})
    void aUseCountOutsideItsRangeIsRefused(int requested) {
        assertThatThrownBy(() -> TokenRules.bootFetches(requested, 1000))
                .isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).errorCode().code())
                .isEqualTo("invalid-num-uses");
    }

    @ParameterizedTest
    @CsvSource({"0, -1", "5, 1", "4, 0", "9, 1", "10, 2", "1, 0"})
    void fetchesLeftCountsOnlyCompleteFetches(int vaultUsesLeft, int fetches) {
        assertThat(TokenRules.fetchesLeft(vaultUsesLeft)).isEqualTo(fetches);
    }
}
