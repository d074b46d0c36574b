package io.vaultgate.web;

import java.util.Map;

/**
 * What a feature knows about the path variables its routes take, for the API contract: the JSON
 * schema each named variable has wherever it appears ({@code project} is a slug in every route).
 * The generator types a variable a route binds itself (the scope of the secrets routes) only as a
 * string; {@link ApiContract} gives every path parameter of that name the schema stated here.
 */
public interface PathParameters {

    /** Variable name → its schema, as a JSON object. */
    Map<String, Map<String, Object>> schemas();
}
