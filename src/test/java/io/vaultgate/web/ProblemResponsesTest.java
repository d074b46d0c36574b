package io.vaultgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * The problem answers of the shipped contract agree with the code: each problem response lists
 * the codes of one status, every code of {@link ErrorCode} is listed under its status, every
 * operation lists specific statuses (never 4XX, 5XX or default) and answers each with the
 * response of that status, and the Problem schema holds every member the record sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProblemResponsesTest {

    private static final String RESPONSES = "#/components/responses/";

    /**
     * Answered for a method the path does not take, so for no operation the contract has. (A
     * request line or headers too long are refused before routing too, but for any operation:
     * every operation lists them.)
     */
    private static final Set<ErrorCode> BEFORE_ROUTING = Set.of(ErrorCode.METHOD_NOT_ALLOWED);

    private Map<String, Object> document;
    private final Map<String, Integer> statusOfResponse = new TreeMap<>();

    @BeforeAll
    void load() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/" + ApiContract.DOCUMENT)) {
            document = new Yaml().load(in);
        }
        Map<String, ErrorCode> byCode =
                Arrays.stream(ErrorCode.values()).collect(Collectors.toMap(ErrorCode::code, c -> c));
        map(map(document.get("components")).get("responses")).forEach((name, response) -> {
            Set<Integer> statuses = codes(response).stream()
                    .map(code -> byCode.get(code).status().getCode())
                    .collect(Collectors.toSet());
            assertThat(statuses).as(name + " lists the codes of one status").hasSize(1);
            statusOfResponse.put(name, statuses.iterator().next());
        });
    }

    @Test
    void everyCodeIsListedUnderItsStatusAndNoWhereElse() {
        Map<String, List<String>> listed = new HashMap<>();
        map(map(document.get("components")).get("responses"))
                .forEach((name, response) -> listed.put(name, codes(response)));

        for (ErrorCode code : ErrorCode.values()) {
            List<String> responses = listed.entrySet().stream()
                    .filter(e -> e.getValue().contains(code.code()))
                    .map(Map.Entry::getKey)
                    .toList();
            if (BEFORE_ROUTING.contains(code)) {
                assertThat(responses).as(code.code()).isEmpty();
            } else {
                assertThat(responses).as(code.code()).hasSize(1);
                assertThat(statusOfResponse.get(responses.get(0)))
                        .as(code.code())
                        .isEqualTo(code.status().getCode());
            }
        }
    }

    @Test
    void everyOperationListsSpecificStatusesEachWithTheProblemResponseOfThatStatus() {
        Set<String> common = Set.of("401", "403", "406", "414", "429", "431", "500", "502", "503");
        map(document.get("paths"))
                .forEach((path, item) -> map(item).forEach((method, operation) -> {
                    Map<String, Object> responses = map(map(operation).get("responses"));
                    String name = method + " " + path;

                    assertThat(responses.keySet())
                            .as(name)
                            .containsAll(common)
                            .allMatch(status -> status.matches("\\d{3}"));
                    responses.forEach((status, response) -> {
                        if (status.startsWith("4") || status.startsWith("5")) {
                            String ref = String.valueOf(map(response).get("$ref"));
                            assertThat(ref).as(name + " " + status).startsWith(RESPONSES);
                            assertThat(statusOfResponse.get(ref.substring(RESPONSES.length())))
                                    .as(name + " " + status)
                                    .isEqualTo(Integer.valueOf(status));
                        }
                    });
                }));
    }

    @Test
    void aProblemResponseIsAProblemDocumentAndSaysWhatToDo() {
        map(map(document.get("components")).get("responses")).forEach((name, response) -> {
            Map<String, Object> content = map(map(response).get("content"));
            assertThat(content).as(name).containsOnlyKeys(Problem.MEDIA_TYPE);
            assertThat(String.valueOf(map(map(content.get(Problem.MEDIA_TYPE)).get("schema"))))
                    .as(name)
                    .contains("#/components/schemas/Problem");
        });
        assertThat(header("Unauthorized", "WWW-Authenticate")).containsEntry("required", true);
        assertThat(header("TooManyRequests", "Retry-After")).containsEntry("required", true);
    }

    @Test
    void theProblemSchemaHoldsEveryMemberTheRecordSendsAndFieldIsNeverNull() {
        Map<String, Object> problem =
                map(map(map(document.get("components")).get("schemas")).get("Problem"));
        Map<String, Object> properties = map(problem.get("properties"));
        Set<String> members = Arrays.stream(Problem.class.getRecordComponents())
                .map(RecordComponent::getName)
                .filter(member -> !member.equals("extensions"))
                .collect(Collectors.toSet());

        assertThat(properties.keySet())
                .containsAll(members)
                .contains("line", "limitBytes", "key", "currentVersion", "deployments");
        assertThat(map(properties.get("field"))).containsEntry("type", "string");
        assertThat(String.valueOf(problem.get("required"))).doesNotContain("field");
    }

    private Map<String, Object> header(String response, String header) {
        return map(map(map(map(map(document.get("components")).get("responses")).get(response))
                        .get("headers"))
                .get(header));
    }

    /** The codes a problem response lists: allOf [Problem, {properties: {code: {enum}}}]. */
    private static List<String> codes(Object response) {
        Map<String, Object> schema = map(
                map(map(map(response).get("content")).get(Problem.MEDIA_TYPE)).get("schema"));
        return ((List<?>) schema.get("allOf"))
                .stream()
                        .map(part -> map(map(map(part).get("properties")).get("code"))
                                .get("enum"))
                        .filter(List.class::isInstance)
                        .flatMap(codes -> ((List<?>) codes).stream())
                        .map(String::valueOf)
                        .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
