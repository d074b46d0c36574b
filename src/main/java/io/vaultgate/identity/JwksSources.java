package io.vaultgate.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key sets JWTs are checked against. A URL is fetched only when it starts with one of
 * {@code vaultgate.identity-federation.allowed-jwks-urls} (checked when a binding is made and
 * again before each fetch), never following a redirect (which could lead anywhere), within the
 * configured timeouts and size; the set is cached, and a {@code kid} it lacks refetches it at most
 * once per {@code jwks-refresh-min-interval} (nimbus's caching and rate-limited sources). One source
 * per URL, shared by the bindings that name it. A static set holds public RSA, EC or OKP keys only.
 */
@Singleton
class JwksSources {

    private static final Set<KeyType> ASYMMETRIC = Set.of(KeyType.RSA, KeyType.EC, KeyType.OKP);

    private final FederationProperties properties;
    private final Map<String, JWKSource<SecurityContext>> byUrl = new ConcurrentHashMap<>();

    JwksSources(FederationProperties properties) {
        this.properties = properties;
    }

    /**
     * The URL as the gateway will fetch it, when it is allowed: absolute http(s), no user info, no
     * fragment, no {@code .} or {@code ..} segments, and under an allowed prefix.
     */
    Optional<String> allowed(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!uri.isAbsolute()
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null
                || uri.getHost() == null
                || !uri.normalize().toString().equals(url)) {
            return Optional.empty();
        }
        return properties.allowedJwksUrls().stream().anyMatch(url::startsWith) ? Optional.of(url) : Optional.empty();
    }

    /** A static key set as given in a binding, or empty when it is not one of public asymmetric keys. */
    Optional<JWKSet> staticSet(String json) {
        if (json.getBytes(StandardCharsets.UTF_8).length > properties.maxJwksBytes()) {
            return Optional.empty();
        }
        try {
            JWKSet set = JWKSet.parse(json);
            boolean publicOnly = !set.getKeys().isEmpty()
                    && set.getKeys().stream()
                            .allMatch(key -> !key.isPrivate() && ASYMMETRIC.contains(key.getKeyType()));
            return publicOnly ? Optional.of(set) : Optional.empty();
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    JWKSource<SecurityContext> of(IdentityBinding binding) {
        if (binding.jwksUrl() == null) {
            JWKSet set =
                    staticSet(binding.jwks()).orElseThrow(() -> new IllegalStateException("stored key set unusable"));
            return new ImmutableJWKSet<>(
                    new JWKSet(set.getKeys().stream().map(JWK::toPublicJWK).toList()));
        }
        String url = allowed(binding.jwksUrl())
                .orElseThrow(
                        () -> new JwksNotAllowedException(
                                "the binding's JWKS URL is no longer allowed by vaultgate.identity-federation.allowed-jwks-urls"));
        return byUrl.computeIfAbsent(url, this::fetched);
    }

    private JWKSource<SecurityContext> fetched(String url) {
        URL location;
        try {
            location = URI.create(url).toURL();
        } catch (MalformedURLException e) {
            throw new JwksNotAllowedException("the binding's JWKS URL is not a URL");
        }
        DefaultResourceRetriever retriever =
                new DefaultResourceRetriever(
                        (int) properties.jwksConnectTimeout().toMillis(),
                        (int) properties.jwksReadTimeout().toMillis(),
                        properties.maxJwksBytes()) {
                    @Override
                    protected HttpURLConnection openHTTPConnection(URL target) throws IOException {
                        HttpURLConnection connection = super.openHTTPConnection(target);
                        connection.setInstanceFollowRedirects(false);
                        return connection;
                    }
                };
        long ttl = properties.jwksCacheTtl().toMillis();
        long timeout = properties
                .jwksConnectTimeout()
                .plus(properties.jwksReadTimeout())
                .toMillis();
        return JWKSourceBuilder.<SecurityContext>create(location, retriever)
                .cache(ttl, timeout)
                .refreshAheadCache(false)
                .rateLimited(Math.max(1, properties.jwksRefreshMinInterval().toMillis()))
                .retrying(false)
                .outageTolerant(false)
                .build();
    }

    /** A binding names a URL the allow-list no longer allows: its JWTs are refused, nothing is fetched. */
    static final class JwksNotAllowedException extends RuntimeException {
        JwksNotAllowedException(String message) {
            super(message);
        }
    }
}
