package io.vaultgate.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.KeyNames;
import io.vaultgate.scope.Slugs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The build step that makes the generated OpenAPI document the contract, checked on the document
 * the build shipped ({@code META-INF/swagger/vaultgate-v1.yml} on the test class path) and on
 * small generated snippets.
 */
class ContractCorrectionsTest {

    static String shipped() throws IOException {
        try (InputStream in = ContractCorrectionsTest.class.getResourceAsStream("/META-INF/swagger/vaultgate-v1.yml")) {
            assertThat(in).as("the build wrote the contract").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theShippedDocumentIsAlreadyCorrected() throws IOException {
        // The build ran the step; running it again must change nothing, or what the jar holds is not its output.
        assertThat(ContractCorrections.corrected(shipped())).isEqualTo(shipped());
    }

    @Test
    void aNullableTypeLetsNoObjectStandForAString() {
        String generated = """
                components:
                  schemas:
                    View:
                      properties:
                        name:
                          type: [string, "null", object]
                        any:
                          type: [object, "null"]
                """;

        Map<String, Object> properties =
                at(load(ContractCorrections.corrected(generated)), "components", "schemas", "View", "properties");

        assertThat(at(properties, "name").get("type")).isEqualTo(List.of("string", "null"));
        assertThat(at(properties, "any").get("type")).isEqualTo(List.of("object", "null"));
    }

    @Test
    void aRecordIsAnObjectAndAnEnumIsSaidOnce() {
        String generated = """
                components:
                  schemas:
                    Body:
                      properties:
                        type:
                          type: string
                          enum: [a, b]
                          allowableValues: [a, b]
                """;

        Map<String, Object> body = at(load(ContractCorrections.corrected(generated)), "components", "schemas", "Body");

        assertThat(body).containsEntry("type", "object");
        assertThat(at(body, "properties", "type")).containsOnlyKeys("type", "enum");
    }

    @Test
    void everyPathVariableHasTheRuleOfItsNameWhateverBindsIt() throws IOException {
        Map<String, Object> slug = Map.of("type", "string", "pattern", Slugs.PATTERN);
        Map<String, Object> expected = Map.of(
                "project",
                slug,
                "environment",
                slug,
                "service",
                slug,
                "key",
                Map.of("type", "string", "pattern", KeyNames.PATTERN),
                "environmentType",
                Map.of(
                        "type",
                        "string",
                        "enum",
                        Arrays.stream(EnvironmentType.values())
                                .map(EnvironmentType::wireName)
                                .toList()));
        List<Map<String, Object>> pathParameters = new ArrayList<>();
        Map<String, Object> paths = at(load(shipped()), "paths");
        paths.values()
                .forEach(item -> ((Map<?, ?>) item).values().forEach(operation -> {
                    Object parameters = ((Map<?, ?>) operation).get("parameters");
                    if (parameters instanceof List<?> list) {
                        list.stream()
                                .map(ContractCorrectionsTest::map)
                                .filter(p -> "path".equals(p.get("in")))
                                .forEach(pathParameters::add);
                    }
                }));

        assertThat(pathParameters)
                .filteredOn(p -> expected.containsKey(p.get("name")))
                .hasSizeGreaterThan(100)
                .allSatisfy(p -> assertThat(p.get("schema")).as(p.toString()).isEqualTo(expected.get(p.get("name"))));
    }

    @Test
    void everyOperationHasAStableIdOfItsOwn() throws IOException {
        List<String> ids = operations(load(shipped())).stream()
                .map(operation -> String.valueOf(operation.get("operationId")))
                .toList();

        assertThat(ids).hasSizeGreaterThan(50).doesNotHaveDuplicates().noneMatch(id -> id.matches(".*_\\d+"));
    }

    @Test
    void aMethodMappedUnderEveryScopePrefixIsNamedByTheScopeOfEachPath() {
        String generated = """
                paths:
                  /v1/projects/{project}/secrets/{key}:
                    get: {operationId: getSecret}
                  /v1/projects/{project}/environment-types/{environmentType}/secrets/{key}:
                    get: {operationId: getSecret_1}
                  /v1/projects/{project}/environments/{environment}/secrets/{key}:
                    get: {operationId: getSecret_2}
                  /v1/projects/{project}/services/{service}/secrets/{key}:
                    get: {operationId: getSecret_3}
                  /v1/projects/{project}/environments/{environment}/services/{service}/secrets/{key}:
                    get: {operationId: getSecret_4}
                  /v1/projects/{project}:
                    get: {operationId: getProject}
                """;

        assertThat(operations(load(ContractCorrections.corrected(generated))).stream()
                        .map(operation -> operation.get("operationId")))
                .containsExactly(
                        "getProjectSecret",
                        "getEnvironmentTypeSecret",
                        "getEnvironmentSecret",
                        "getServiceSecret",
                        "getServiceInEnvironmentSecret",
                        "getProject");
    }

    @Test
    void twoMethodsOfOneNameInOneScopeFailTheBuildRatherThanGetANumber() {
        String generated = """
                paths:
                  /v1/projects/{project}/audit:
                    get: {operationId: list}
                  /v1/projects/{project}/hooks:
                    get: {operationId: list_1}
                """;

        assertThatThrownBy(() -> ContractCorrections.corrected(generated))
                .hasMessageContaining("@Operation(operationId)");
    }

    @Test
    void everySummaryIsAWholeSentence() throws IOException {
        // The generator cuts a Javadoc's first sentence at the first ". ": "Imports a .env file" became "Imports a .".
        assertThat(operations(load(shipped())))
                .allSatisfy(operation -> assertThat(String.valueOf(operation.get("summary")))
                        .as(String.valueOf(operation.get("operationId")))
                        .matches("[A-Z].*\\w[)`]?\\.")
                        .doesNotEndWith(" a ."));
    }

    @Test
    void noParameterIsTypedAsPossiblyNullAndNoSchemaHoldsANonKeyword() throws IOException {
        String shipped = shipped();
        List<Object> parameterSchemas = new ArrayList<>();
        operations(load(shipped))
                .forEach(operation -> ((List<?>) operation.getOrDefault("parameters", List.of()))
                        .stream()
                                .map(ContractCorrectionsTest::map)
                                .filter(parameter -> !parameter.containsKey("$ref"))
                                .forEach(parameter -> parameterSchemas.add(parameter.get("schema"))));

        assertThat(parameterSchemas)
                .hasSizeGreaterThan(100)
                .allSatisfy(schema -> assertThat(map(schema).get("type"))
                        .as(String.valueOf(schema))
                        .isInstanceOf(String.class));
        // allowableValues is swagger-annotations' name for enum, which a stray @Schema on a request bean leaked.
        assertThat(shipped).doesNotContain("allowableValues").doesNotContain("example: null");
    }

    @Test
    void theJsonImportIsAnObjectOfKeyNamesToStrings() throws IOException {
        Map<String, Object> document = load(shipped());
        Map<String, Object> json =
                at(document, "paths", "/v1/projects/{project}/import", "post", "requestBody", "content");
        Map<String, Object> keys = at(document, "components", "schemas", "ImportKeys");

        assertThat(at(json, "application/json", "schema")).containsEntry("$ref", "#/components/schemas/ImportKeys");
        assertThat(at(json, "text/plain", "schema")).containsEntry("type", "string");
        assertThat(keys).containsEntry("type", "object").containsKey("examples");
        assertThat(at(keys, "additionalProperties")).containsEntry("type", "string");
        for (String schema : List.of("ImportKeys", "Environment")) {
            assertThat(at(document, "components", "schemas", schema, "propertyNames"))
                    .as(schema)
                    .containsEntry("pattern", KeyNames.PATTERN);
        }
    }

    static List<Map<String, Object>> operations(Map<String, Object> document) {
        List<Map<String, Object>> operations = new ArrayList<>();
        at(document, "paths").values().forEach(item -> map(item).values().forEach(op -> operations.add(map(op))));
        return operations;
    }

    static Map<String, Object> load(String yaml) {
        return new Yaml().load(yaml);
    }

    static Map<String, Object> at(Map<String, Object> node, String... keys) {
        Map<String, Object> at = node;
        for (String key : keys) {
            at = map(at.get(key));
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
