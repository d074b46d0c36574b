package io.vaultgate.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BearerTokensTest {

    private static String segment(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aJwtIsToldFromAVaultTokenByItsStructure() {
        String header = segment("{\"alg\":\"RS256\",\"kid\":\"k\"}");
        String claims = segment("{\"sub\":\"system:serviceaccount:shop:api\"}");

        assertThat(BearerTokens.isJwt(header + "." + claims + ".c2lnbmF0dXJl")).isTrue();
        assertThat(BearerTokens.isJwt(segment("{\"alg\":\"none\"}") + "." + claims + "."))
                .as("unsigned: still a JWT, refused as one")
                .isTrue();
    }

    @Test
    void vaultAndLocalTokensAreNeverTakenForAJwt() {
        assertThat(BearerTokens.isJwt("hvs.CAESIJ1u2k3Pq8xYz")).isFalse();
        assertThat(BearerTokens.isJwt("hvs.CAESIJ1u2k3Pq8xYz.abcde"))
                .as("a namespaced token")
                .isFalse();
        assertThat(BearerTokens.isJwt("s.Wf2Xb3c4d5e6f7g8h9i0j1k2")).isFalse();
        assertThat(BearerTokens.isJwt("vg_local_Zm9vYmFy")).isFalse();
        assertThat(BearerTokens.isJwt("a.b.c"))
                .as("three segments whose first is no JSON object")
                .isFalse();
    }

    @Test
    void aJwtLongerThanAnyIssuerMakesIsNotOne() {
        String header = segment("{\"alg\":\"RS256\"}");

        assertThat(BearerTokens.isJwt(header + "." + "a".repeat(9000) + ".sig")).isFalse();
    }
}
