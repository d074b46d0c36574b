package io.vaultgate.console;

import io.micronaut.core.annotation.Nullable;
import io.vaultgate.scope.EnvironmentType;
import io.vaultgate.scope.Scope;
import io.vaultgate.web.ApiException;
import io.vaultgate.web.ErrorCode;

/**
 * A scope as the console's pages and forms name it: the project, and {@code at}, the rest of the
 * scope's API path after {@code /v1/projects/{project}/} (empty for the project itself, e.g.
 * {@code environments/staging/services/api}). One query parameter or form field then serves all
 * five kinds of scope.
 */
final class ConsoleScopes {

    private ConsoleScopes() {}

    static Scope parse(String project, @Nullable String at) {
        String rest = at == null ? "" : at.strip();
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("/", -1);
        return switch (parts.length) {
            case 0 -> Scope.project(project);
            case 2 ->
                switch (parts[0]) {
                    case "environment-types" -> Scope.environmentType(project, EnvironmentType.parse("at", parts[1]));
                    case "environments" -> Scope.environment(project, parts[1]);
                    case "services" -> Scope.service(project, parts[1]);
                    default -> throw notAScope(rest);
                };
            case 4 -> {
                if (!parts[0].equals("environments") || !parts[2].equals("services")) {
                    throw notAScope(rest);
                }
                yield Scope.serviceInEnvironment(project, parts[1], parts[3]);
            }
            default -> throw notAScope(rest);
        };
    }

    static String at(Scope scope) {
        String path = scope.apiPath();
        String base = "/v1/projects/" + scope.project();
        return path.length() == base.length() ? "" : path.substring(base.length() + 1);
    }

    /** How a page names the scope to a person. */
    static String describe(Scope scope) {
        return switch (scope.kind()) {
            case PROJECT -> "project " + scope.project();
            case ENVIRONMENT_TYPE ->
                "every " + scope.environmentType().wireName() + " environment of " + scope.project();
            case ENVIRONMENT -> "environment " + scope.environment();
            case SERVICE -> "service " + scope.service() + " in every environment";
            case SERVICE_IN_ENVIRONMENT -> "service " + scope.service() + " in " + scope.environment();
        };
    }

    private static ApiException notAScope(String at) {
        return new ApiException(
                ErrorCode.INVALID_REQUEST,
                "'" + at + "' names no scope: give nothing (the project), environment-types/T, environments/E, "
                        + "services/S or environments/E/services/S.",
                "at");
    }
}
