package io.vaultgate.contract;

import static io.vaultgate.contract.ContractCorrectionsTest.at;
import static io.vaultgate.contract.ContractCorrectionsTest.map;
import static io.vaultgate.contract.ContractCorrectionsTest.operations;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultgate.access.Caller;
import io.vaultgate.scope.EnvironmentType;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.Yaml;

/**
 * The rules the contract states about requests are the code's: the enums are the code's wire
 * names, the bounds that are configuration are application.yml's defaults, and every JSON body is
 * closed, as StrictJson refuses a field the route does not take.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractRulesTest {

    private Map<String, Object> document;
    private Map<String, Object> schemas;
    private Map<String, Object> defaults;

    @BeforeAll
    void load() throws IOException {
        document = ContractCorrectionsTest.load(ContractCorrectionsTest.shipped());
        schemas = at(document, "components", "schemas");
        try (InputStream in = getClass().getResourceAsStream("/application.yml")) {
            defaults = at(new Yaml().load(in), "vaultgate");
        }
    }

    @Test
    void theEnumsAreTheCodesWireNames() {
        assertThat(at(schemas, "CatalogController.EnvironmentBody", "properties", "type")
                        .get("enum"))
                .isEqualTo(Arrays.stream(EnvironmentType.values())
                        .map(EnvironmentType::wireName)
                        .toList());
        assertThat(at(schemas, "TokenController.OperatorBody", "properties", "role")
                        .get("enum"))
                .isEqualTo(List.of(Caller.Role.PROJECT_ADMIN.wireName(), Caller.Role.DEPLOYER.wireName()));
    }

    @Test
    void aBoundThatIsConfigurationIsItsDefault() {
        Map<String, Object> tokens = at(defaults, "tokens");
        int importKeys = (Integer) at(defaults, "limits").get("import-keys");

        assertThat(at(schemas, "TokenController.MintBody", "properties", "ttlSeconds")
                        .get("maximum"))
                .isEqualTo(seconds(tokens.get("workload-max-ttl")));
        assertThat(at(schemas, "TokenController.OperatorBody", "properties", "ttlSeconds")
                        .get("maximum"))
                .isEqualTo(seconds(tokens.get("operator-max-ttl")));
        assertThat(at(schemas, "TokenController.MintBody", "properties", "numUses")
                        .get("maximum"))
                .isEqualTo(tokens.get("max-num-uses"));
        assertThat(at(schemas, "RequirementController.KeysBody", "properties", "keys")
                        .get("maxItems"))
                .isEqualTo(importKeys);
        assertThat(at(schemas, "ImportKeys").get("maxProperties")).isEqualTo(importKeys);
        assertThat(at(defaults, "restart").get("max-feed-wait")).isEqualTo("60s");
    }

    @Test
    void everyJsonBodyIsClosed() {
        List<String> bodies = operations(document).stream()
                .map(operation -> String.valueOf(at(operation, "requestBody", "content", "application/json", "schema")
                        .get("$ref")))
                .filter(ref -> ref.startsWith("#/components/schemas/"))
                .map(ref -> ref.substring("#/components/schemas/".length()))
                .distinct()
                .toList();

        assertThat(bodies).hasSizeGreaterThan(8);
        assertThat(bodies)
                .allSatisfy(body -> assertThat(map(schemas.get(body)))
                        .as(body)
                        .containsEntry("type", "object")
                        .containsKey("additionalProperties"));
        assertThat(bodies)
                .filteredOn(body -> !body.equals("ImportKeys"))
                .allSatisfy(body ->
                        assertThat(map(schemas.get(body))).as(body).containsEntry("additionalProperties", false));
    }

    private static int seconds(Object duration) {
        String text = String.valueOf(duration);
        return (int) Duration.parse("PT" + text.toUpperCase()).toSeconds();
    }
}
