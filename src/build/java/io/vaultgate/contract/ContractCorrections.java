package io.vaultgate.contract;

import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.KeyNames;
import io.vaultgate.scope.ScopeKind;
import io.vaultgate.scope.Slugs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Makes the OpenAPI document micronaut-openapi writes at compile time
 * ({@code META-INF/swagger/vaultgate-v1.yml} in the classes folder) the contract: the jar ships the
 * corrected file and the gateway serves it byte for byte. The build runs this file in
 * {@code process-classes} (pom.xml), as a single source file against the compiled classes, so the
 * rules it states are the code's own constants, not copies. Running it twice changes nothing.
 *
 * <p>It corrects only what micronaut-openapi 6.20 writes wrong or cannot say from the code:
 *
 * <ul>
 *   <li>A nullable type in 3.1 comes out as {@code [string, "null", object]}, letting any object
 *       stand where a string may be missing: the stray {@code object} is dropped.
 *   <li>A record's schema has {@code properties} but no {@code type}, which in 3.1 lets any JSON
 *       value (a string, null) stand for the object: it is typed {@code object}.
 *   <li>{@code @Schema(allowableValues)} on a record component writes the enum twice, once under
 *       the annotation's own name, which is no JSON Schema keyword: that copy is dropped.
 *   <li>An optional parameter ({@code @Nullable}) is typed as possibly {@code null}, which a query
 *       string or a header cannot carry: it is optional by {@code required: false} alone.
 *   <li>A request body's media type gets {@code example: null} where the code gave none, which
 *       states an example of null: dropped.
 *   <li>A reference to a response or a header ({@code @ApiResponse(ref)}, {@code @Header(ref)})
 *       gets the status's reason phrase and a schema beside the {@code $ref}: in 3.1 the phrase
 *       would override the referenced description, and a header reference holds nothing else. The
 *       reference is left bare.
 *   <li>A path variable the route binds itself ({@code ScopeBinder} reads the scope's variables by
 *       name) is typed {@code string} at best, and a method-level {@code @Parameter(in = PATH)} on
 *       a method mapped to several URIs merges every URI's parameters into one shared operation
 *       and drops the schema. A path variable's rule belongs to its name in this API, so every one
 *       gets it here: {@link #PATH_VARIABLES}.
 *   <li>A method mapped under several scope prefixes (the secrets routes) takes one
 *       {@code @Operation(operationId)}, which the generator numbers {@code _1} to {@code _4} in
 *       the order it meets the URIs. Each gets a stable id from its path instead: the scope kind
 *       goes after the verb ({@code getSecret} under {@code /environments/{environment}} is
 *       {@code getEnvironmentSecret}).
 * </ul>
 */
public final class ContractCorrections {

    private static final Pattern NUMBERED = Pattern.compile("(.+)_\\d+");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /** Every path variable's schema, by name: the same name is the same rule in every route. */
    static final Map<String, Map<String, Object>> PATH_VARIABLES = pathVariables();

    private ContractCorrections() {}

    /** Rewrites the file named by the one argument in place. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ContractCorrections <generated openapi.yml>");
        }
        Path file = Path.of(args[0]);
        Files.writeString(file, corrected(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    static String corrected(String generated) {
        Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(generated);
        dropStrayObjectTypes(document);
        dropGeneratorLeftovers(document);
        typeRecordsAsObjects(map(map(document).get("components")).get("schemas"));
        Map<String, Object> paths = map(map(document).get("paths"));
        paths.values()
                .forEach(item -> operations(item).forEach(operation -> {
                    correctParameters(operation);
                    bareReferences(operation);
                }));
        nameScopedOperations(paths);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        // The schema one path variable's rule gives is the same object in every route: written out each time,
        // not as YAML anchors and aliases, which some OpenAPI tools do not follow.
        options.setDereferenceAliases(true);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options).dump(document);
    }

    private static void dropStrayObjectTypes(Object node) {
        walk(node, map -> {
            if (map.get("type") instanceof List<?> types
                    && types.contains("object")
                    && types.stream().anyMatch(t -> !"object".equals(t) && !"null".equals(t))) {
                typeList(map).remove("object");
            }
        });
    }

    private static void dropGeneratorLeftovers(Object node) {
        walk(node, map -> {
            if (map.containsKey("example") && map.get("example") == null) {
                map.remove("example");
            }
            if (map.containsKey("allowableValues") && map.containsKey("enum")) {
                map.remove("allowableValues");
            }
        });
    }

    private static void typeRecordsAsObjects(Object schemas) {
        for (Object schema : map(schemas).values()) {
            Map<String, Object> record = map(schema);
            if (record.containsKey("properties") && !record.containsKey("type")) {
                Map<String, Object> typed = new LinkedHashMap<>();
                typed.put("type", "object");
                typed.putAll(record);
                record.clear();
                record.putAll(typed);
            }
        }
    }

    private static void bareReferences(Map<String, Object> operation) {
        for (Object response : map(operation.get("responses")).values()) {
            bare(map(response));
            map(map(response).get("headers")).values().forEach(header -> bare(map(header)));
        }
    }

    private static void bare(Map<String, Object> reference) {
        if (reference.containsKey("$ref")) {
            reference.keySet().removeIf(key -> !key.equals("$ref"));
        }
    }

    private static void correctParameters(Map<String, Object> operation) {
        for (Object p : list(operation.get("parameters"))) {
            Map<String, Object> parameter = map(p);
            if ("path".equals(parameter.get("in")) && PATH_VARIABLES.containsKey(parameter.get("name"))) {
                parameter.put("schema", new LinkedHashMap<>(PATH_VARIABLES.get(parameter.get("name"))));
            }
            Map<String, Object> schema = map(parameter.get("schema"));
            if (schema.get("type") instanceof List<?>) {
                List<Object> types = typeList(schema);
                types.remove("null");
                if (types.size() == 1) {
                    schema.put("type", types.get(0));
                }
            }
        }
    }

    /**
     * Operations the generator numbered ({@code listSecrets}, {@code listSecrets_1}, ...) are one
     * method mapped to several URIs; each is named by the scope its path names, as ScopeBinder
     * reads it. Fails the build when two of them would share a name: an operation id that two
     * unrelated methods share is a missing {@code @Operation(operationId)}, not a scope.
     */
    private static void nameScopedOperations(Map<String, Object> paths) {
        Map<String, List<Map.Entry<String, Map<String, Object>>>> byBase = new TreeMap<>();
        paths.forEach((path, item) -> operations(item).forEach(operation -> {
            String id = String.valueOf(operation.get("operationId"));
            Matcher numbered = NUMBERED.matcher(id);
            String base = numbered.matches() ? numbered.group(1) : id;
            byBase.computeIfAbsent(base, b -> new ArrayList<>()).add(Map.entry(path, operation));
        }));
        Set<String> taken = new HashSet<>();
        byBase.forEach((base, members) -> {
            for (Map.Entry<String, Map<String, Object>> member : members) {
                String id = members.size() == 1 ? base : scoped(base, member.getKey());
                if (!taken.add(id)) {
                    throw new IllegalStateException("Two operations would be named " + id + " (" + member.getKey()
                            + "): give the method an @Operation(operationId) of its own.");
                }
                member.getValue().put("operationId", id);
            }
        });
    }

    /** {@code getSecret} under a service's path is {@code getServiceSecret}: the kind after the verb. */
    static String scoped(String base, String path) {
        int verb = 0;
        while (verb < base.length() && Character.isLowerCase(base.charAt(verb))) {
            verb++;
        }
        String kind = Arrays.stream(scopeKindOf(path).name().split("_"))
                .map(word -> word.charAt(0) + word.substring(1).toLowerCase(Locale.ROOT))
                .collect(Collectors.joining());
        return base.substring(0, verb) + kind + base.substring(verb);
    }

    /** The scope kind a path names, by the variables it holds: ScopeBinder's rule. */
    static ScopeKind scopeKindOf(String path) {
        Set<String> variables =
                VARIABLE.matcher(path).results().map(m -> m.group(1)).collect(Collectors.toSet());
        if (variables.contains("environmentType")) {
            return ScopeKind.ENVIRONMENT_TYPE;
        }
        if (variables.contains("environment")) {
            return variables.contains("service") ? ScopeKind.SERVICE_IN_ENVIRONMENT : ScopeKind.ENVIRONMENT;
        }
        return variables.contains("service") ? ScopeKind.SERVICE : ScopeKind.PROJECT;
    }

    private static Map<String, Map<String, Object>> pathVariables() {
        List<String> environmentTypes = Arrays.stream(EnvironmentType.values())
                .map(EnvironmentType::wireName)
                .toList();
        Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
        variables.put("project", stringSchema("pattern", Slugs.PATTERN));
        variables.put("environment", stringSchema("pattern", Slugs.PATTERN));
        variables.put("service", stringSchema("pattern", Slugs.PATTERN));
        variables.put("environmentType", stringSchema("enum", environmentTypes));
        variables.put("key", stringSchema("pattern", KeyNames.PATTERN));
        return Collections.unmodifiableMap(variables);
    }

    /** In a fixed order, so the file the build writes is the same on every run. */
    private static Map<String, Object> stringSchema(String rule, Object value) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "string");
        schema.put(rule, value);
        return schema;
    }

    private static List<Map<String, Object>> operations(Object pathItem) {
        return map(pathItem).entrySet().stream()
                .filter(e -> METHODS.contains(e.getKey()))
                .map(e -> map(e.getValue()))
                .toList();
    }

    private static void walk(Object node, Consumer<Map<String, Object>> visitor) {
        if (node instanceof Map<?, ?>) {
            Map<String, Object> map = map(node);
            visitor.accept(map);
            new ArrayList<>(map.values()).forEach(value -> walk(value, visitor));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> walk(value, visitor));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    private static List<?> list(Object node) {
        return node instanceof List<?> l ? l : List.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> typeList(Map<String, Object> schema) {
        return (List<Object>) schema.get("type");
    }
}
