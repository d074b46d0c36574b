package io.vaultgate.web;

import io.micronaut.core.io.ResourceResolver;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The API contract as the gateway serves it: the OpenAPI 3.1 document the build writes from the
 * controllers (micronaut-openapi, at compile time), read once. Two things are made exact on the
 * way. micronaut-openapi 6.20 writes the type of a nullable property in 3.1 as
 * {@code [string, "null", object]}, which would let any object stand where a string may be
 * missing: the stray {@code object} is dropped wherever another type is named. And a path
 * variable gets the schema its feature states ({@link PathParameters}: a slug's pattern, a key
 * name's, the environment types), which the generator cannot see where a route binds the variable
 * itself. The document holds no secret and nothing of this installation.
 */
@Singleton
public class ApiContract {

    static final String GENERATED = "classpath:META-INF/swagger/vaultgate-v1.yml";

    private final String yaml;

    ApiContract(ResourceResolver resources, List<PathParameters> features) {
        Map<String, Map<String, Object>> pathSchemas = new HashMap<>();
        features.forEach(feature -> pathSchemas.putAll(feature.schemas()));
        try (InputStream generated = resources
                .getResourceAsStream(GENERATED)
                .orElseThrow(
                        () -> new IllegalStateException("the build wrote no OpenAPI document (" + GENERATED + ")"))) {
            this.yaml = corrected(new String(generated.readAllBytes(), StandardCharsets.UTF_8), pathSchemas);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the generated OpenAPI document", e);
        }
    }

    /** The document, as YAML. */
    public String yaml() {
        return yaml;
    }

    static String corrected(String generated, Map<String, Map<String, Object>> pathSchemas) {
        Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
        Object document = parser.load(generated);
        dropStrayObjectTypes(document);
        typePathParameters(document, pathSchemas);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        return new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options).dump(document);
    }

    @SuppressWarnings("unchecked")
    private static void typePathParameters(Object node, Map<String, Map<String, Object>> pathSchemas) {
        if (node instanceof Map<?, ?> map) {
            Object schema = pathSchemas.get(map.get("name"));
            if ("path".equals(map.get("in")) && schema != null) {
                ((Map<Object, Object>) map).put("schema", new LinkedHashMap<>((Map<?, ?>) schema));
            }
            map.values().forEach(value -> typePathParameters(value, pathSchemas));
        } else if (node instanceof List<?> list) {
            list.forEach(value -> typePathParameters(value, pathSchemas));
        }
    }

    @SuppressWarnings("unchecked")
    private static void dropStrayObjectTypes(Object node) {
        if (node instanceof Map<?, ?> map) {
            Object type = map.get("type");
            if (type instanceof List<?> types
                    && types.contains("object")
                    && types.stream().anyMatch(t -> !"object".equals(t) && !"null".equals(t))) {
                ((List<Object>) types).remove("object");
            }
            map.values().forEach(ApiContract::dropStrayObjectTypes);
        } else if (node instanceof List<?> list) {
            list.forEach(ApiContract::dropStrayObjectTypes);
        }
    }
}
