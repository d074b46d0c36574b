package io.vaultgate.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.dotenv.DotenvLimits;
import io.vaultgate.values.SecretValue;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRulesTest {

    private static final String CANARY = "canary-\u00e9-value";
    private final SecretRules rules = new SecretRules(new LimitsProperties(16, 40, 3, 4));

    @Test
    void valueAtTheLimitIsAcceptedAndOneByteMoreIsRefusedWithoutQuotingIt() {
        assertThat(rules.requireValue("K", "x".repeat(16)).plaintext()).hasSize(16);
        String tooLong = "\u00e9".repeat(9);
        assertThatThrownBy(() -> rules.requireValue("K", tooLong)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.VALUE_TOO_LARGE);
            assertThat(e.getMessage()).contains("18 bytes").doesNotContain(tooLong);
        });
    }

    @Test
    void refusesNulAndUnpairedSurrogatesWithoutQuotingTheValue() {
        assertThatThrownBy(() -> rules.requireValue("K", "ab\0" + CANARY))
                .hasMessageContaining("NUL")
                .hasMessageNotContaining(CANARY);
        assertThatThrownBy(() -> rules.requireValue("K", "\ud800"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SECRET_VALUE));
    }

    @Test
    void emptyValueIsAllowed() {
        assertThat(rules.requireValue("K", "").plaintext()).isEmpty();
    }

    @Test
    void scopeOfMoreKeysThanTheLimitIsRefused() {
        rules.requireScopeSize("/v1/projects/p", keys(4));
        assertThatThrownBy(() -> rules.requireScopeSize("/v1/projects/p", keys(5)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SCOPE_TOO_LARGE);
                    assertThat(e.getMessage()).contains("5 keys", "limit is 4 keys");
                });
    }

    /** A, B, C, ... each holding its position. */
    private static Map<String, SecretValue> keys(int count) {
        Map<String, SecretValue> keys = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            keys.put(String.valueOf((char) ('A' + i)), new SecretValue(String.valueOf(i + 1)));
        }
        return keys;
    }

    @Test
    void scopeLargerThanTheLimitIsRefused() {
        rules.requireScopeSize("/v1/projects/p", Map.of("A", new SecretValue("x".repeat(30))));
        assertThatThrownBy(() -> rules.requireScopeSize(
                        "/v1/projects/p",
                        Map.of("A", new SecretValue("x".repeat(30)), "B", new SecretValue("x".repeat(10)))))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SCOPE_TOO_LARGE));
    }

    @Test
    void anImportIsRefusedAtTheKeyThatWouldPassTheKeyLimit() {
        rules.requireRoomForKey("THIRD", 2);
        assertThatThrownBy(() -> rules.requireRoomForKey("FOURTH", 3)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.TOO_MANY_KEYS);
            assertThat(e.field()).isEqualTo("FOURTH");
            assertThat(e.getMessage()).contains("at most 3 keys", "FOURTH would be key 4");
        });
    }

    @Test
    void anImportIsRefusedAtTheKeyThatTakesItPastTheScopeLimit() {
        rules.requireImportBytes("A", 40);
        assertThatThrownBy(() -> rules.requireImportBytes("B", 41)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.SCOPE_TOO_LARGE);
            assertThat(e.field()).isEqualTo("B");
            assertThat(e.getMessage()).contains("40 bytes");
        });
    }

    @Test
    void aDotenvImportIsReadWithinTheSameLimits() {
        assertThat(rules.dotenvLimits()).isEqualTo(new DotenvLimits(16, 40, 3));
    }
}
