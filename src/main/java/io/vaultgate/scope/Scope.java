package io.vaultgate.scope;

import java.util.Objects;

/**
 * Where a secret is defined. Slugs are validated by the factories, so a {@code Scope} always
 * names a well-formed place (whether it exists is the catalog's business).
 */
public record Scope(
        ScopeKind kind, String project, EnvironmentType environmentType, String environment, String service) {

    public Scope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(project, "project");
    }

    public static Scope project(String project) {
        return new Scope(ScopeKind.PROJECT, Slugs.require("project", project), null, null, null);
    }

    public static Scope environmentType(String project, EnvironmentType type) {
        return new Scope(ScopeKind.ENVIRONMENT_TYPE, Slugs.require("project", project), type, null, null);
    }

    public static Scope environment(String project, String environment) {
        return new Scope(
                ScopeKind.ENVIRONMENT,
                Slugs.require("project", project),
                null,
                Slugs.require("environment", environment),
                null);
    }

    public static Scope service(String project, String service) {
        return new Scope(
                ScopeKind.SERVICE, Slugs.require("project", project), null, null, Slugs.require("service", service));
    }

    public static Scope serviceInEnvironment(String project, String environment, String service) {
        return new Scope(
                ScopeKind.SERVICE_IN_ENVIRONMENT,
                Slugs.require("project", project),
                null,
                Slugs.require("environment", environment),
                Slugs.require("service", service));
    }

    /** The scope's API path prefix: how the scope is named in responses, errors and the audit. */
    public String apiPath() {
        String base = "/v1/projects/" + project;
        return switch (kind) {
            case PROJECT -> base;
            case ENVIRONMENT_TYPE -> base + "/environment-types/" + environmentType.wireName();
            case ENVIRONMENT -> base + "/environments/" + environment;
            case SERVICE -> base + "/services/" + service;
            case SERVICE_IN_ENVIRONMENT -> base + "/environments/" + environment + "/services/" + service;
        };
    }

    @Override
    public String toString() {
        return apiPath();
    }
}
