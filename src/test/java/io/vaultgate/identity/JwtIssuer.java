package io.vaultgate.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OIDC-style issuer on loopback for tests: keys made here, its JWK set served at
 * {@code /keys} by the JDK's HTTP server, and JWTs signed on demand, good or bad.
 */
public final class JwtIssuer implements AutoCloseable {

    public final String issuer;
    private final HttpServer server;
    private final List<JWK> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    public final RSAKey rsa;
    public final ECKey ec;

    public JwtIssuer() {
        try {
            rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
            ec = new ECKeyGenerator(Curve.P_256)
                    .keyID("ec-" + UUID.randomUUID())
                    .generate();
            published.add(rsa.toPublicJWK());
            published.add(ec.toPublicJWK());
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JOSEException | IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/keys", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(new ArrayList<>(published)).toString(true).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
    }

    /** The prefix to allow: {@code http://127.0.0.1:PORT/}. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public String jwksUrl() {
        return base() + "keys";
    }

    public int fetches() {
        return fetches.get();
    }

    /** Publishes one more key, as an issuer rotating its keys does. */
    public void publish(JWK key) {
        published.add(key.toPublicJWK());
    }

    /** Claims of a JWT valid for ten minutes, for {@code audience}, with these extra claims. */
    public JWTClaimsSet.Builder claims(String audience, Map<String, Object> extra) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))
                .jwtID(UUID.randomUUID().toString());
        extra.forEach(claims::claim);
        return claims;
    }

    public String signRs256(JWTClaimsSet claims) {
        return sign(rsa, JWSAlgorithm.RS256, claims);
    }

    public static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            if (key instanceof RSAKey rsaKey) {
                jwt.sign(new RSASSASigner(rsaKey));
            } else {
                jwt.sign(new ECDSASigner((ECKey) key));
            }
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic forgery: HS256 keyed with the issuer's public key, hoping it is taken as the secret. */
    public String hmacWithPublicKey(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .keyID(rsa.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new MACSigner(rsa.toPublicKey().getEncoded()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
