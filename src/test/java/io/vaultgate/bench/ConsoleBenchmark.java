package io.vaultgate.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vaultgate.testing.RealStack;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Console benchmark (not a test): what a console page costs beside the API calls that carry the
 * same facts, on real OpenBao and MariaDB, the gateway in production mode. For a project of 20
 * and 200 keys spread over a deployment's five scopes, sampled alternately on one keep-alive
 * client each, as an admin signed in once:
 *
 * <ul>
 *   <li><b>secrets page</b>: {@code GET /console/projects/P/secrets} (session cookie opened and
 *       sealed again, token looked up, list read, HTML rendered) vs {@code GET /v1/projects/P/secrets};</li>
 *   <li><b>resolved page</b>: {@code GET /console/.../resolved} (resolution and requirements
 *       check in one page) vs the two API calls {@code .../resolved} and {@code .../check}.</li>
 * </ul>
 * Run: {@code bench/run.sh console}.
 */
public final class ConsoleBenchmark {

    private static final int WARMUP = Integer.getInteger("bench.warmup", 300);
    private static final int WARMUP_MAX = Integer.getInteger("bench.warmupMax", 5_000);
    private static final int SAMPLES = Integer.getInteger("bench.samples", 300);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern COOKIE = Pattern.compile("vaultgate_console=([^;]*)");

    private final RealStack stack = RealStack.forClass(ConsoleBenchmark.class);
    private final HttpClient console =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private BenchHttp http;
    private URI base;
    private String cookie;

    public static void main(String[] args) throws Exception {
        new ConsoleBenchmark()
                .run(
                        args.length == 0
                                ? List.of(20, 200)
                                : Arrays.stream(args).map(Integer::valueOf).toList());
        System.exit(0);
    }

    private void run(List<Integer> sizes) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(stack.gatewayProperties());
        properties.put("micronaut.server.port", "-1");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        properties.put("vaultgate.console.session-key", Base64.getEncoder().encodeToString(key));
        HelloServer helloServer = HelloServer.start();
        try (ApplicationContext context = ApplicationContext.run(properties, "production")) {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            base = URI.create(server.getURL().toString());
            http = new BenchHttp(stack, base, URI.create("http://127.0.0.1:" + helloServer.port() + "/hello"));
            signIn(stack.adminToken());
            List<String> rows = new ArrayList<>();
            for (int n : sizes) {
                rows.addAll(measure(n));
            }
            System.out.println();
            System.out.println("Console pages vs the API calls that carry the same facts (ms; " + SAMPLES
                    + " samples each, alternately; " + Runtime.getRuntime().availableProcessors() + " cores, " + stack
                    + ")");
            System.out.println(String.format(
                    Locale.ROOT,
                    "%-14s %6s | %9s %9s | %9s %9s | %9s %9s | %7s",
                    "page",
                    "keys",
                    "page p50",
                    "page p99",
                    "api p50",
                    "api p99",
                    "p50 ratio",
                    "p99 ratio",
                    "warm-up"));
            rows.forEach(System.out::println);
        } finally {
            helloServer.close();
        }
    }

    private List<String> measure(int keys) throws Exception {
        String project = "console-" + keys + "-" + BenchHttp.randomSuffix();
        String admin = stack.adminToken();
        BenchProject.create(http, admin, project, keys);
        http.call(
                "PUT",
                "/v1/projects/" + project + "/services/api/requirements",
                admin,
                Map.of("keys", List.of("KEY_0", "KEY_1", "MISSING_KEY")));
        String deployment = "/projects/" + project + BenchProject.DEPLOYMENT;
        List<String> rows = new ArrayList<>();
        rows.add(row(
                "secrets page",
                keys,
                () -> page("/console/projects/" + project + "/secrets"),
                () -> http.call("GET", "/v1/projects/" + project + "/secrets", admin, null)));
        rows.add(row("resolved page", keys, () -> page("/console" + deployment + "/resolved"), () -> {
            http.call("GET", "/v1" + deployment + "/resolved", admin, null);
            http.call("GET", "/v1" + deployment + "/check", admin, null);
        }));
        return rows;
    }

    private String row(String page, int keys, Runnable console, Runnable api) {
        int warmedUp = BenchHttp.warmUp(
                () -> {
                    console.run();
                    api.run();
                },
                WARMUP,
                WARMUP_MAX);
        long[][] sampled = BenchHttp.alternately(SAMPLES, console, api);
        double c50 = BenchHttp.ms(BenchHttp.percentile(sampled[0], 50));
        double c99 = BenchHttp.ms(BenchHttp.percentile(sampled[0], 99));
        double a50 = BenchHttp.ms(BenchHttp.percentile(sampled[1], 50));
        double a99 = BenchHttp.ms(BenchHttp.percentile(sampled[1], 99));
        return String.format(
                Locale.ROOT,
                "%-14s %6d | %9.2f %9.2f | %9.2f %9.2f | %8.2fx %8.2fx | %7d",
                page,
                keys,
                c50,
                c99,
                a50,
                a99,
                c50 / a50,
                c99 / a99,
                warmedUp);
    }

    /** A console page as the signed-in browser gets it; the session cookie moves on with each answer. */
    private void page(String path) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve(path))
                .header("Cookie", "vaultgate_console=" + cookie)
                .GET());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + answer.statusCode());
        }
    }

    private void signIn(String token) {
        HttpResponse<String> page =
                send(HttpRequest.newBuilder(base.resolve("/console/sign-in")).GET());
        Matcher csrf = CSRF.matcher(page.body());
        if (!csrf.find()) {
            throw new IllegalStateException("no sign-in form");
        }
        String form = "csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8) + "&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = send(HttpRequest.newBuilder(base.resolve("/console/sign-in"))
                .header("Cookie", "vaultgate_console=" + cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "null")
                .header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (signedIn.statusCode() != 303) {
            throw new IllegalStateException("sign-in answered " + signedIn.statusCode());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> answer = console.send(request.build(), HttpResponse.BodyHandlers.ofString());
            answer.headers().allValues("Set-Cookie").forEach(set -> {
                Matcher m = COOKIE.matcher(set);
                if (m.find()) {
                    cookie = m.group(1);
                }
            });
            return answer;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
