package io.vaultgate.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.identity.JwtIssuer;
import io.vaultgate.testing.RealStack;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Workload identity federation benchmark (not a test): on real OpenBao and MariaDB, the gateway in
 * production mode with its least-privilege token, a deployment of 20 secrets bound to a loopback
 * issuer (keys made here, JWK set served by the JDK's HTTP server), sequential on one keep-alive
 * client, each pair sampled alternately so both see the same machine:
 *
 * <ul>
 *   <li><b>exchange</b> {@code POST /v1/auth/jwt} (an RS256 JWT verified, a token minted) vs
 *       <b>mint</b> {@code POST …/tokens} with an admin token (the same mint, no JWT);</li>
 *   <li><b>JWT fetch</b> {@code GET /v1/env} with the JWT as bearer (verify, mint a one-fetch
 *       token, fetch with it) vs <b>token fetch</b> {@code GET /v1/env} with a workload token.</li>
 * </ul>
 * The JWT's key set is fetched once and cached, as in steady state. Run: {@code bench/run.sh jwt}.
 */
public final class JwtExchangeBenchmark {

    private static final int WARMUP = Integer.getInteger("bench.warmup", 100);
    private static final int WARMUP_MAX = Integer.getInteger("bench.warmupMax", 500);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 300);
    private static final String AUDIENCE = "vaultgate";
    private static final String SUBJECT = "system:serviceaccount:bench:api";

    private final RealStack stack = RealStack.forClass(JwtExchangeBenchmark.class);

    public static void main(String[] args) throws Exception {
        new JwtExchangeBenchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        try (JwtIssuer issuer = new JwtIssuer()) {
            Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
            properties.put("micronaut.server.port", "-1");
            properties.put("vaultgate.identity-federation.allowed-jwks-urls", issuer.base());
            // Every exchange takes an unknown-token permit and every mint counts as a write of the
            // admin: one client as fast as it can is what is measured, not the budgets.
            properties.put("vaultgate.auth.unknown-tokens-per-second", "100000");
            properties.put("vaultgate.auth.unknown-tokens-per-second-total", "100000");
            properties.put("vaultgate.rate-limit.writes", "100000");
            try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
                EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
                BenchHttp http = new BenchHttp(stack, URI.create(server.getURL().toString()), null);
                String admin = stack.adminToken();
                String project = "bench-jwt-" + BenchHttp.randomSuffix();
                BenchProject seeded = BenchProject.create(http, admin, project, 20);
                String deployment = "/v1/projects/" + project + BenchProject.DEPLOYMENT;
                http.call(
                        "PUT",
                        deployment + "/identity",
                        admin,
                        Map.of(
                                "issuer",
                                issuer.issuer,
                                "jwksUrl",
                                issuer.jwksUrl(),
                                "audience",
                                AUDIENCE,
                                "claims",
                                Map.of("sub", SUBJECT)));
                String jwt = issuer.signRs256(
                        issuer.claims(AUDIENCE, Map.of("sub", SUBJECT)).build());
                Runnable exchange = () -> http.call("POST", "/v1/auth/jwt", jwt, Map.of("jwt", jwt));
                Runnable mint = () -> http.call("POST", deployment + "/tokens", admin, Map.of("ttlSeconds", 900));
                Runnable jwtFetch = () -> http.fetch(jwt);
                Runnable tokenFetch = () -> http.fetch(seeded.token());

                int warmed = BenchHttp.warmUp(
                        () -> {
                            exchange.run();
                            mint.run();
                            jwtFetch.run();
                            tokenFetch.run();
                        },
                        WARMUP,
                        WARMUP_MAX);
                long[][] minting = BenchHttp.alternately(SAMPLES, exchange, mint);
                long[][] fetching = BenchHttp.alternately(SAMPLES, jwtFetch, tokenFetch);

                System.out.println();
                System.out.println("JWT exchange vs the same work without a JWT (ms; " + SAMPLES + " samples each, "
                        + "warm-up " + warmed + " rounds, "
                        + Runtime.getRuntime().availableProcessors() + " cores, "
                        + stack + ", key set fetched " + issuer.fetches() + " time(s))");
                System.out.println(String.format(
                        Locale.ROOT,
                        "%-34s | %8s %8s | %-30s | %8s %8s | %9s %9s",
                        "with a JWT",
                        "p50",
                        "p99",
                        "baseline",
                        "p50",
                        "p99",
                        "p50 ratio",
                        "p99 ratio"));
                System.out.println(row("POST /v1/auth/jwt", minting[0], "POST .../tokens (admin)", minting[1]));
                System.out.println(
                        row("GET /v1/env, Bearer <jwt>", fetching[0], "GET /v1/env, Bearer <token>", fetching[1]));
            }
        }
    }

    private static String row(String name, long[] times, String baselineName, long[] baseline) {
        double p50 = BenchHttp.ms(BenchHttp.percentile(times, 50));
        double p99 = BenchHttp.ms(BenchHttp.percentile(times, 99));
        double b50 = BenchHttp.ms(BenchHttp.percentile(baseline, 50));
        double b99 = BenchHttp.ms(BenchHttp.percentile(baseline, 99));
        return String.format(
                Locale.ROOT,
                "%-34s | %8.2f %8.2f | %-30s | %8.2f %8.2f | %9.2f %9.2f",
                name,
                p50,
                p99,
                baselineName,
                b50,
                b99,
                p50 / b50,
                p99 / b99);
    }
}
