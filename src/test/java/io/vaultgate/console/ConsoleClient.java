package io.vaultgate.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The console spoken to without a browser, for what a browser would never send: forms without a
 * session, with a wrong token, from another origin. Keeps the session cookie by hand and never
 * follows a redirect, so each answer is seen as it is.
 */
final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern COOKIE = Pattern.compile(ConsoleFilter.COOKIE + "=([^;]*)");

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final URI base;
    String cookie;

    ConsoleClient(URI base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), Map.of());
    }

    HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                headers);
    }

    /** A multipart form (one with a file input), its fields as text parts. */
    HttpResponse<String> postMultipart(String path, Map<String, String> form, Map<String, String> headers) {
        String boundary = "----console" + System.nanoTime();
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
                headers);
    }

    /** A form as a browser on the console's own page sends it. */
    HttpResponse<String> submit(String path, Map<String, String> form) {
        return post(path, form, Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin"));
    }

    /** The CSRF token of the forms on this page. */
    String csrfOf(String path) {
        Matcher m = CSRF.matcher(get(path).body());
        if (!m.find()) {
            throw new AssertionError("no form on " + path);
        }
        return m.group(1);
    }

    HttpResponse<String> signIn(String token) {
        String csrf = csrfOf("/console/sign-in");
        return submit("/console/sign-in", form("token", token, "csrf", csrf));
    }

    static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> headers) {
        if (cookie != null) {
            request.header("Cookie", ConsoleFilter.COOKIE + "=" + cookie);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            response.headers().allValues("Set-Cookie").forEach(set -> {
                Matcher m = COOKIE.matcher(set);
                if (m.find()) {
                    cookie = m.group(1);
                }
            });
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
