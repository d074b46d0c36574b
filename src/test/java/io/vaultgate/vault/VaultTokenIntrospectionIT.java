package io.vaultgate.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.TcpProxy;
import io.vaultgate.access.AuthProperties;
import io.vaultgate.access.LookupAdmission;
import io.vaultgate.access.LookupThrottledException;
import io.vaultgate.access.TokenInfo;
import io.vaultgate.testing.RealParts;
import io.vaultgate.testing.RealStack;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Caller-token lookups against real Vault, made with the gateway's own (non-root) token. */
@RealParts
class VaultTokenIntrospectionIT {

    final RealStack stack = RealStack.forClass(getClass());

    private VaultTokenIntrospection tokens;

    @BeforeEach
    void buildIntrospection() {
        tokens = new VaultTokenIntrospection(calls(), ttl(Duration.ofSeconds(5)), Clock.systemUTC());
    }

    @Test
    void anAdminTokenCarriesTheAdminPolicyAnAccessorAndAnExpiry() {
        TokenInfo info = tokens.lookup(stack.adminToken()).orElseThrow();

        assertThat(info.policies()).contains("vaultgate-admin");
        assertThat(info.accessor()).isNotBlank().isNotEqualTo(stack.adminToken());
        assertThat(info.expiresAt()).isAfter(Instant.now());
    }

    @Test
    void aTokenWithOnlyTheDefaultPolicyIsNobodyInParticular() {
        String nobody = stack.createToken();

        TokenInfo info = tokens.lookup(nobody).orElseThrow();

        assertThat(info.policies()).contains("default").doesNotContain("vaultgate-admin");
        assertThat(info.displayName()).contains("vaultgate-it");
    }

    @Test
    void aGarbageTokenIsUnknown() {
        assertThat(tokens.lookup("hvs.this-is-not-a-token")).isEmpty();
        assertThat(tokens.lookup("s.garbage")).isEmpty();
        assertThat(tokens.lookup("")).isEmpty();
        assertThat(tokens.lookup(null)).isEmpty();
    }

    @Test
    void aRevokedTokenIsUnknownOnceTheCacheHasExpired() throws Exception {
        String caller = stack.createToken();
        VaultTokenIntrospection uncached = new VaultTokenIntrospection(calls(), ttl(Duration.ZERO), Clock.systemUTC());
        assertThat(uncached.lookup(caller)).isPresent();

        revoke(caller);

        assertThat(uncached.lookup(caller)).isEmpty();
    }

    @Test
    void aLookupInFlightWhenItsTokenIsForgottenNeitherAnswersNorCachesIt() throws Exception {
        String caller = stack.createToken();
        String accessor = tokens.lookup(caller).orElseThrow().accessor();
        URI vault = URI.create(stack.vaultAddress());
        try (TcpProxy relay = new TcpProxy(vault.getHost(), vault.getPort())) {
            VaultTokenIntrospection viaRelay = new VaultTokenIntrospection(
                    calls("http://127.0.0.1:" + relay.port()), ttl(Duration.ofSeconds(30)), Clock.systemUTC());
            relay.holdAnswers();
            CompletableFuture<Optional<TokenInfo>> inFlight =
                    CompletableFuture.supplyAsync(() -> viaRelay.lookup(caller));
            Thread.sleep(500); // Vault has answered "valid"; the answer waits in the relay

            revoke(caller);
            viaRelay.forget(accessor);
            relay.releaseAnswers();

            assertThat(inFlight.get(30, TimeUnit.SECONDS))
                    .as("the answer that raced the revocation")
                    .isEmpty();
            assertThat(viaRelay.lookup(caller)).as("nothing was cached for it").isEmpty();
        }
    }

    @Test
    void aLookupThatIsNotAdmittedIsNeverAskedOfVaultWhileCachedAnswersStillServe() {
        TokenInfo admin = tokens.lookup(stack.adminToken()).orElseThrow();
        assertThat(tokens.lookup("hvs.garbage-first")).isEmpty();
        LookupAdmission refuseAll = token -> false;

        assertThatThrownBy(() -> tokens.lookup("hvs.garbage-next", refuseAll))
                .isInstanceOf(LookupThrottledException.class);
        assertThat(tokens.lookup(stack.adminToken(), refuseAll)).contains(admin);
        assertThat(tokens.lookup("hvs.garbage-first", refuseAll))
                .as("a cached unknown")
                .isEmpty();
    }

    @Test
    void aLookupIsReusedForTheCacheTtlOnly() throws Exception {
        String caller = stack.createToken();
        MutableClock clock = new MutableClock();
        VaultTokenIntrospection cached = new VaultTokenIntrospection(calls(), ttl(Duration.ofSeconds(5)), clock);
        assertThat(cached.lookup(caller)).isPresent();
        revoke(caller);

        clock.advance(Duration.ofSeconds(4));
        assertThat(cached.lookup(caller))
                .as("within the ttl: the cached answer")
                .isPresent();

        clock.advance(Duration.ofSeconds(2));
        assertThat(cached.lookup(caller)).as("past the ttl: asked again").isEmpty();
    }

    @Test
    void aLookupIsNeverReusedPastTheTokensExpiry() throws Exception {
        String caller = stack.createToken(); // expires in 8 hours
        MutableClock clock = new MutableClock();
        VaultTokenIntrospection longCache = new VaultTokenIntrospection(calls(), ttl(Duration.ofHours(24)), clock);
        TokenInfo info = longCache.lookup(caller).orElseThrow();
        revoke(caller);

        clock.set(info.expiresAt().minusSeconds(1));
        assertThat(longCache.lookup(caller)).isPresent();

        clock.set(info.expiresAt().plusSeconds(1));
        assertThat(longCache.lookup(caller)).isEmpty();
    }

    @Test
    void anUnknownTokenIsNotRememberedLongerThanTheTtl() {
        MutableClock clock = new MutableClock();
        VaultTokenIntrospection cached = new VaultTokenIntrospection(calls(), ttl(Duration.ofSeconds(5)), clock);
        String garbage = "hvs.garbage-" + System.nanoTime();

        assertThat(cached.lookup(garbage)).isEmpty();
        clock.advance(Duration.ofSeconds(6));
        assertThat(cached.lookup(garbage)).isEmpty();
    }

    private VaultCalls calls() {
        return calls(stack.vaultAddress());
    }

    private VaultCalls calls(String address) {
        VaultProperties vault = new VaultProperties(
                URI.create(address),
                stack.gatewayToken(),
                stack.kvMount(),
                stack.pathPrefix(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                400);
        return new VaultCalls(
                VaultClientFactory.create(vault, VaultPoolProperties.defaults()),
                VaultClientFactory.createForLookups(vault),
                VaultResilienceProperties.defaults());
    }

    /** Time the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private void revoke(String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                        URI.create(stack.vaultAddress() + "/v1/auth/token/revoke-self"))
                .header("X-Vault-Token", token)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build();
        int status = java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isBetween(200, 299);
    }

    /** The lookup cache's ttl as configured (vaultgate.auth.cache-ttl), every other setting at its default. */
    private static AuthProperties ttl(Duration cacheTtl) {
        return new AuthProperties(null, null, null, null, null, null, null, cacheTtl, null, null);
    }
}
