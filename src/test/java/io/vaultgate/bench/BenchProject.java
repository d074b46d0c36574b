package io.vaultgate.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project with one deployment ({@code production}/{@code api}) whose keys are spread evenly over
 * its five scopes, set through the gateway's import, and a workload token for it.
 */
record BenchProject(String name, Map<String, Map<String, String>> keysByScope, List<String> entryPaths, String token) {

    static final String DEPLOYMENT = "/environments/production/services/api";

    /** The API path below the project of each of the deployment's five scopes, least specific first. */
    static final List<String> SCOPES =
            List.of("", "/environment-types/production", "/environments/production", "/services/api", DEPLOYMENT);

    /** Creates it: {@code keys} keys {@code KEY_i} with random values, key i at scope i mod 5. */
    static BenchProject create(BenchHttp http, String admin, String name, int keys) throws Exception {
        http.call("PUT", "/v1/projects/" + name, admin, null);
        http.call("PUT", "/v1/projects/" + name + "/environments/production", admin, Map.of("type", "production"));
        http.call("PUT", "/v1/projects/" + name + "/services/api", admin, null);
        http.call("PUT", "/v1/projects/" + name + DEPLOYMENT, admin, null);
        Map<String, Map<String, String>> byScope = new LinkedHashMap<>();
        for (int i = 0; i < keys; i++) {
            byScope.computeIfAbsent(SCOPES.get(i % 5), s -> new LinkedHashMap<>())
                    .put("KEY_" + i, BenchHttp.randomValue());
        }
        for (Map.Entry<String, Map<String, String>> scope : byScope.entrySet()) {
            http.call("POST", "/v1/projects/" + name + scope.getKey() + "/import", admin, scope.getValue());
        }
        String token = BenchHttp.JSON
                .readTree(http.call(
                        "POST", "/v1/projects/" + name + DEPLOYMENT + "/tokens", admin, Map.of("ttlSeconds", 3600)))
                .path("token")
                .asText();
        int delivered = BenchHttp.JSON.readTree(http.fetch(token)).size();
        if (delivered != keys) {
            throw new IllegalStateException("expected " + keys + " keys from /v1/env, got " + delivered);
        }
        return new BenchProject(name, byScope, entryPaths(name), token);
    }

    /** The entry paths of the deployment's five scopes, as {@code EntryPath} writes them. */
    static List<String> entryPaths(String project) {
        return List.of(
                project,
                project + "/type/production",
                project + "/env/production",
                project + "/svc/api",
                project + "/env/production/svc/api");
    }
}
