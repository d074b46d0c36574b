package io.vaultgate.vault;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the gateway's own token usable for as long as the gateway runs: reads the token file
 * again ({@code vaultgate.vault.token-file-check}) and renews the token in use once half of its
 * period is spent ({@code vaultgate.vault.token-renew-check}). The renewal always renews the
 * current token, so after a rotation it follows the new one and lets the old one run out.
 *
 * <p>{@code vaultgate_vault_token_switches_total} on {@code /prometheus} counts the rotations this
 * replica has taken up, so an operator can see every replica has switched before revoking the
 * old token.
 */
@Singleton
@Requires(property = "vaultgate.mode", value = "production")
class GatewayTokenUpkeep {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayTokenUpkeep.class);
    private static final String LOOKUP_SELF = "auth/token/lookup-self";
    private static final String RENEW_SELF = "auth/token/renew-self";

    private final GatewayToken token;
    private final VaultCalls calls;

    GatewayTokenUpkeep(GatewayToken token, VaultCalls calls, MeterRegistry meters) {
        this.token = token;
        this.calls = calls;
        FunctionCounter.builder("vaultgate.vault.token.switches", token, GatewayToken::switches)
                .description("times this replica switched to a new gateway token read from vaultgate.vault.token-file")
                .register(meters);
    }

    @Scheduled(fixedDelay = "${vaultgate.vault.token-file-check}", initialDelay = "${vaultgate.vault.token-file-check}")
    void reload() {
        token.reload();
    }

    @Scheduled(fixedDelay = "${vaultgate.vault.token-renew-check}")
    void renewOnceHalfSpent() {
        try {
            Map<?, ?> self = calls.read(LOOKUP_SELF, rest -> rest.getForObject(LOOKUP_SELF, Map.class));
            if (self == null || !(self.get("data") instanceof Map<?, ?> data)) {
                return;
            }
            long ttl = seconds(data.get("ttl"));
            long period = seconds(data.get("period"));
            long full = period > 0 ? period : seconds(data.get("creation_ttl"));
            // ttl 0: a token that never expires. Not renewable: it runs out, and only a rotation helps.
            if (!Boolean.TRUE.equals(data.get("renewable")) || ttl <= 0 || full <= 0 || ttl * 2 > full) {
                return;
            }
            calls.write(RENEW_SELF, rest -> rest.postForObject(RENEW_SELF, Map.of(), Map.class));
        } catch (RuntimeException e) {
            // The exception names the path and the status only (VaultCalls), never the token.
            LOG.warn("could not renew the gateway's Vault token: {}", e.getMessage());
        }
    }

    private static long seconds(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
