package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.vaultgate.ApiClient;
import io.vaultgate.ApiClient.Answer;
import io.vaultgate.GatewayTest;
import io.vaultgate.testing.RealParts;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * The API contract the gateway serves at {@code /openapi.yml}: OpenAPI 3.1, open without a token,
 * and covering every {@code /v1} route the gateway has, with a bearer scheme and problem documents.
 * ContractConformanceIT validates it and sends it generated requests.
 */
@MicronautTest(environments = "production", transactional = false)
@RealParts
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractIT extends GatewayTest {

    @Inject
    Router router;

    private Map<String, Object> document;

    @BeforeAll
    void fetch() {
        Answer answer = new ApiClient(server.getURI(), null).get("/openapi.yml");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        document = new Yaml().load(answer.body());
    }

    @Test
    void theContractIsOpenApi31AndNeedsNoToken() {
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
    }

    @Test
    void theServedContractIsTheDocumentTheJarHoldsByteForByte() throws Exception {
        byte[] built;
        try (InputStream in = getClass().getResourceAsStream("/" + ApiContract.DOCUMENT)) {
            built = in.readAllBytes();
        }

        String served = new ApiClient(server.getURI(), null).get("/openapi.yml").body();

        assertThat(served).isEqualTo(new String(built, StandardCharsets.UTF_8));
    }

    @Test
    void aClientHoldingTheCurrentCopyGets304AndNoBody() {
        ApiClient anonymous = new ApiClient(server.getURI(), null);
        Answer first = anonymous.get("/openapi.yml");
        String tag = first.header("ETag");

        Answer again = anonymous.send("GET", "/openapi.yml", null, Map.of("If-None-Match", tag));
        Answer weakly = anonymous.send("GET", "/openapi.yml", null, Map.of("If-None-Match", "\"x\", W/" + tag));
        Answer other = anonymous.send("GET", "/openapi.yml", null, Map.of("If-None-Match", "\"x\""));

        assertThat(tag).matches("\"[A-Za-z0-9_-]{43}\"");
        assertThat(first.header("Cache-Control")).isEqualTo("public, max-age=300");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(tag);
        assertThat(again.header("Cache-Control")).isEqualTo("public, max-age=300");
        assertThat(weakly.status()).isEqualTo(304);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(first.body());
    }

    @Test
    void everyV1RouteIsInTheContract() {
        Set<String> routes = router.uriRoutes()
                .map(route -> (UriRouteInfo<?, ?>) route)
                .filter(route -> route.getUriMatchTemplate().toString().startsWith("/v1/"))
                // The framework answers HEAD for every GET; the contract lists the GET.
                .filter(route -> !route.getHttpMethod().name().equals("HEAD"))
                .map(route -> route.getHttpMethod().name() + " " + route.getUriMatchTemplate())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>();
        paths().forEach((path, item) ->
                item.keySet().forEach(method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path)));

        assertThat(routes).isNotEmpty();
        assertThat(documented).containsAll(routes);
    }

    @Test
    void everyOperationNeedsTheBearerTokenAndAnswersItsProblemsAsProblemDocuments() {
        assertThat(document.toString()).contains("scheme=bearer");
        operations().forEach((name, operation) -> {
            Map<String, Object> responses = map(operation.get("responses"));
            assertThat(map(responses.get("401"))).as(name).containsEntry("$ref", "#/components/responses/Unauthorized");
            responses.forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertThat(String.valueOf(map(response).get("$ref")))
                            .as(name + " " + status)
                            .startsWith("#/components/responses/");
                }
            });
        });
    }

    @Test
    void theBootFetchDocumentsItsCacheHeadersAndTakesIfNoneMatch() {
        Map<String, Object> env = map(map(paths().get("/v1/env")).get("get"));

        assertThat(String.valueOf(env.get("parameters"))).contains("$ref=#/components/parameters/IfNoneMatch");
        for (String status : List.of("200", "304")) {
            assertThat(map(map(map(env.get("responses")).get(status)).get("headers")))
                    .as(status)
                    .containsOnlyKeys("ETag", "Cache-Control", "Vary");
        }
    }

    @Test
    void noTypeInTheContractLetsAnObjectStandWhereAStringMayBeMissing() {
        assertThat(typeLists(document))
                .allSatisfy(types -> assertThat(types.contains("object") && types.size() > 2)
                        .as(types.toString())
                        .isFalse());
    }

    @Test
    void aPathVariableOfEveryOperationIsDeclaredForIt() {
        operations().forEach((name, operation) -> {
            String path = name.substring(name.indexOf(' ') + 1);
            Set<String> declared = ((List<?>) operation.getOrDefault("parameters", List.of()))
                    .stream()
                            .map(ApiContractIT::map)
                            .filter(p -> "path".equals(p.get("in")))
                            .map(p -> (String) p.get("name"))
                            .collect(Collectors.toSet());
            Set<String> inPath = java.util.regex.Pattern.compile("\\{([^}]+)}")
                    .matcher(path)
                    .results()
                    .map(m -> m.group(1))
                    .collect(Collectors.toSet());
            assertThat(declared).as(name).isEqualTo(inPath);
        });
    }

    private Map<String, Map<String, Object>> paths() {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        return paths;
    }

    private Map<String, Map<String, Object>> operations() {
        Map<String, Map<String, Object>> operations = new java.util.TreeMap<>();
        paths().forEach((path, item) -> item.forEach((method, operation) -> {
            if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
                operations.put(method.toUpperCase(Locale.ROOT) + " " + path, map(operation));
            }
        }));
        return operations;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<List<?>> typeLists(Object node) {
        List<List<?>> found = new java.util.ArrayList<>();
        if (node instanceof Map<?, ?> m) {
            if (m.get("type") instanceof List<?> types) {
                found.add(types);
            }
            m.values().forEach(value -> found.addAll(typeLists(value)));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> found.addAll(typeLists(value)));
        }
        return found;
    }
}
